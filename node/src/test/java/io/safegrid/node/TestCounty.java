package io.safegrid.node;

import io.safegrid.config.Deployment;
import io.safegrid.config.DeploymentLoader;
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

    /**
     * The demo county as node {@code id} of an active/standby pair on the PostgreSQL alarm store
     * {@code db} ({url, user, password}), its data in {@code dataDir}.
     */
    public static Deployment pairNode(Path dataDir, String id, String[] db) throws IOException {
        String yaml = yaml(Files.createDirectories(dataDir)).replace("id: puxian-1", "id: " + id)
                + "\nalarms:\n  store: {url: \"" + db[0] + "\", user: " + db[1] + ", password: \"" + db[2] + "\"}\n"
                + "  standby: true\n";
        return new DeploymentLoader(k -> null).read("county.yaml", yaml, null);
    }

    public static Path write(Path dir) throws IOException {
        Path file = dir.resolve("county.yaml");
        Files.writeString(file, yaml(dir.resolve("data")));
        return file;
    }
}
