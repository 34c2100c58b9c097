package io.safegrid.node.cli;

import io.safegrid.config.DeploymentLoader;
import io.safegrid.config.demo.DemoCounty;
import io.safegrid.node.simulate.DemoField;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Every role in one JVM on embedded defaults, with the bundled demo county and its simulated
 * sensors and cameras. The county file is written to {@code --dir} so it can be edited while the
 * node runs (hot reload), and everything the node stores goes to {@code --dir}/data. The demo's
 * passwords are published, so it listens on 127.0.0.1 unless {@code --bind} opens it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole platform with a demo county, simulated sensors and cameras.")
final class DemoCommand implements Callable<Integer> {
    /** The demo county reads these (${SAFEGRID_DEMO_BIND:-127.0.0.1}, ${SAFEGRID_DEMO_DATA:-data}). */
    static final String BIND_VARIABLE = "SAFEGRID_DEMO_BIND";
    static final String DATA_VARIABLE = "SAFEGRID_DEMO_DATA";

    @Option(names = "--dir", defaultValue = "data/demo", paramLabel = "DIR",
            description = "where the demo county file and all its data live (default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "where the demo listens (default: ${DEFAULT-VALUE}, this machine only; its passwords are "
                    + "published, so open it to the network with 0.0.0.0 only on a network you trust)")
    String bind;

    @Option(names = "--fresh", description = "overwrite an edited demo county file with the bundled one")
    boolean fresh;

    @Option(names = "--no-simulators", negatable = true, defaultValue = "true",
            description = "start the simulated sensors and cameras (default: on)")
    boolean simulators = true;

    @Override
    public Integer call() throws Exception {
        Path county = prepare();
        System.out.println("Demo county: " + county.toAbsolutePath() + " (edit it while running: changes reload live)");
        System.out.println("Demo data: " + data().toAbsolutePath());
        System.out.println("Demo logins (demo only):");
        DemoCounty.logins().forEach(login -> System.out.println("  " + login));
        return RunCommand.runUntilStopped(county, null, loader(), node -> simulators ? DemoField.start(node) : null);
    }

    /** Writes the county file (unless an edited one is there) and returns it. */
    Path prepare() throws IOException {
        Files.createDirectories(dir);
        Path county = dir.resolve("county.yaml");
        if (fresh) {
            Files.deleteIfExists(county);
        }
        DemoCounty.writeTo(county);
        return county;
    }

    Path data() {
        return dir.resolve("data");
    }

    /** Reads the county with the bind address and data directory of this run; other variables from the environment. */
    DeploymentLoader loader() {
        Map<String, String> ours = Map.of(BIND_VARIABLE, bind, DATA_VARIABLE, data().toAbsolutePath().toString());
        return new DeploymentLoader(name -> ours.containsKey(name) ? ours.get(name) : System.getenv(name));
    }
}
