package io.safegrid.node.cli;

import io.safegrid.config.Deployment;
import io.safegrid.config.DeploymentLoader;
import io.safegrid.node.simulate.DemoField;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Drives a running node (started with {@code run}) with the simulated field of a deployment. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Simulate a deployment's sensors and cameras against a running node.")
final class SimulateCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "the deployment YAML the node runs (devices, secrets and ports are read from it)")
    Path config;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "the node's address (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--sensors", negatable = true, defaultValue = "true", description = "simulate sensors (default: on)")
    boolean sensors = true;

    @Option(names = "--cameras", negatable = true, defaultValue = "true", description = "simulate cameras and GB/T 28181 devices (default: on)")
    boolean cameras = true;

    @Option(names = "--period", defaultValue = "1000", paramLabel = "MS",
            description = "how often each sensor reports, in ms (default: ${DEFAULT-VALUE})")
    long periodMs;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "stop after this long (default: until Ctrl-C)")
    Long durationSeconds;

    @Override
    public Integer call() throws Exception {
        Deployment d = DeploymentLoader.load(config);
        var n = d.node();
        try (AutoCloseable field = DemoField.start(d, host, n.mqttPort(), n.hj212Port(), n.ingestHttpPort(),
                n.videoPushPort(), sensors, cameras, periodMs).startGb28181(d, host, cameras ? d.gb28181().port() : -1)) {
            System.out.printf("simulating %s against %s (Ctrl-C to stop)%n", d.name(), host);
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            if (durationSeconds == null) {
                stop.await();
            } else {
                stop.await(durationSeconds, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        return 0;
    }
}
