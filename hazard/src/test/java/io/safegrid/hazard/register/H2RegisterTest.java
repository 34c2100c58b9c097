package io.safegrid.hazard.register;

import io.safegrid.hazard.store.HazardDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The register's contract on the node's default store: an embedded H2 file. */
class H2RegisterTest extends HazardRegisterContract {
    @TempDir
    Path dir;

    @Override
    String[] database() {
        return new String[] {HazardDatabase.embeddedUrl(dir), null, null};
    }

    @Override
    HazardService reopen() throws Exception {
        return open();
    }
}
