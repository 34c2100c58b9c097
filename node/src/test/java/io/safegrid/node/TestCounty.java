package io.safegrid.node;

import io.safegrid.config.demo.DemoCounty;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The bundled demo county, rewritten for a test: every port ephemeral, data in a temp directory. */
public final class TestCounty {
    private TestCounty() {
    }

    public static String yaml(Path dataDir) {
        return DemoCounty.text()
                .replaceAll("(?m)^(  (http|mqtt|hj212|ingest-http|video-push|listen)-port:) \\d+", "$1 0")
                .replaceAll("(?m)^  bind-address: .*$", "")
                .replaceFirst("(?m)^  data-dir: .*$", "  bind-address: 127.0.0.1\n  data-dir: " + dataDir.toAbsolutePath());
    }

    public static Path write(Path dir) throws IOException {
        Path file = dir.resolve("county.yaml");
        Files.writeString(file, yaml(dir.resolve("data")));
        return file;
    }
}
