package io.safegrid.supervision;

import io.safegrid.hazard.store.HazardDatabase;
import io.safegrid.supervision.store.SupervisionDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The stores on their embedded H2 files, as a node without PostgreSQL keeps them. */
class H2SupervisionTest extends SupervisionContract {
    @TempDir
    Path dir;

    @Override
    String[][] databases() {
        return new String[][] {{HazardDatabase.embeddedUrl(dir), null, null}, {SupervisionDatabase.embeddedUrl(dir), null, null}};
    }
}
