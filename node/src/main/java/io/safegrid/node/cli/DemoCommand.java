package io.safegrid.node.cli;

import io.safegrid.config.demo.DemoCounty;
import io.safegrid.node.simulate.DemoField;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Every role in one JVM on embedded defaults, with the bundled demo county and its simulated
 * sensors and cameras. The county file is written to the data directory so it can be edited
 * while the node runs (hot reload).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole platform with a demo county, simulated sensors and cameras.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "data/demo", paramLabel = "DIR",
            description = "where the demo county file and data live (default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--fresh", description = "overwrite an edited demo county file with the bundled one")
    boolean fresh;

    @Option(names = "--no-simulators", negatable = true, defaultValue = "true",
            description = "start the simulated sensors and cameras (default: on)")
    boolean simulators = true;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(dir);
        Path county = dir.resolve("county.yaml");
        if (fresh) {
            Files.deleteIfExists(county);
        }
        DemoCounty.writeTo(county);
        System.out.println("Demo county: " + county.toAbsolutePath() + " (edit it while running: changes reload live)");
        System.out.println("Demo logins (demo only):");
        DemoCounty.logins().forEach(login -> System.out.println("  " + login));
        return RunCommand.runUntilStopped(county, null, node -> simulators ? DemoField.start(node) : null);
    }
}
