package io.safegrid.supervision;

import io.safegrid.config.HazardsConfig;
import io.safegrid.supervision.store.SupervisionDatabase;
import java.nio.file.Path;
import java.util.List;

/**
 * Where supervision keeps its records and what photos it takes. It reuses the {@code hazards:}
 * section: the same PostgreSQL database when one is set (its own tables and history table), else an
 * embedded H2 file {@code supervision} beside {@code hazards}; and the same photo limits.
 */
public record SupervisionSettings(String url, String user, String password, int photoMaxBytes, List<String> photoTypes,
                                  int photosPerItem) {
    public static final int PHOTOS_PER_ITEM = 5;

    public static SupervisionSettings of(HazardsConfig c, Path dataDir) {
        return new SupervisionSettings(c.url() == null ? SupervisionDatabase.embeddedUrl(dataDir) : c.url(), c.user(),
                c.password(), c.photoMaxBytes(), c.photoTypes(), Math.min(PHOTOS_PER_ITEM, c.photosPerHazard()));
    }
}
