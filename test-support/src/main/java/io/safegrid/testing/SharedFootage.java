package io.safegrid.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Real recordings for tests (see the footage folder's SOURCES.md), read where they lie and never
 * copied into the project: {@code -Dsafegrid.footage=DIR}, else the shared folder beside the
 * checkout. A test on footage is skipped, saying so, where the folder is absent.
 */
public final class SharedFootage {
    private SharedFootage() { }

    public static Path clip(String name) {
        List<Path> tries = new ArrayList<>();
        String prop = System.getProperty("safegrid.footage");
        if (prop != null) {
            tries.add(Path.of(prop));
        }
        tries.add(Path.of("..", "..", "shared", "footage"));
        tries.add(Path.of("..", "shared", "footage"));
        for (Path dir : tries) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return dir.resolve(name);
            }
        }
        Assumptions.assumeTrue(false, "footage " + name + " not found (set -Dsafegrid.footage)");
        return null;
    }
}
