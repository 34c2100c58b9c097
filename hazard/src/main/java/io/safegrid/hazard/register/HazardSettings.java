package io.safegrid.hazard.register;

import io.safegrid.config.HazardsConfig;
import io.safegrid.hazard.store.HazardDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The register's settings: the {@code hazards:} section resolved against the node's data dir. */
public record HazardSettings(String url, String user, String password, int photoMaxBytes, List<String> photoTypes,
                             int photosPerHazard, Duration warnBefore, Duration climbAfter, Duration scanEvery) {

    public static HazardSettings of(HazardsConfig c, Path dataDir) {
        return new HazardSettings(c.url() == null ? HazardDatabase.embeddedUrl(dataDir) : c.url(), c.user(), c.password(),
                c.photoMaxBytes(), c.photoTypes(), c.photosPerHazard(), c.warnBefore(), c.climbAfter(), c.scanEvery());
    }
}
