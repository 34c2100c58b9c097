package io.safegrid.node.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.safegrid.config.ConfigException;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeploymentLoader;
import io.safegrid.config.reload.ConfigWatcher;
import io.safegrid.node.doctor.Doctor;
import io.safegrid.node.doctor.Finding;
import io.safegrid.node.doctor.StartupFailure;
import io.safegrid.node.doctor.Texts;
import io.safegrid.node.wiring.Metrics;
import io.safegrid.node.wiring.Node;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs a node on a deployment file, with all roles or the ones given, until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a SafeGrid node.")
final class RunCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the deployment YAML")
    Path config;

    @Option(names = "--roles", split = ",", paramLabel = "ROLE",
            description = "stages to run here: ingest, analytics, alerting, console (default: as configured, all)")
    List<String> roles;

    @Override
    public Integer call() throws Exception {
        return runUntilStopped(config, roles == null ? null : new LinkedHashSet<>(roles), new DeploymentLoader(), null);
    }

    /** Starts a node, runs {@code alsoRun} beside it, and blocks until the JVM is asked to stop. */
    static int runUntilStopped(Path config, java.util.Set<String> roles, DeploymentLoader loader,
                               java.util.function.Function<Node, AutoCloseable> alsoRun) throws Exception {
        PrometheusMeterRegistry registry = Metrics.create();
        ConfigWatcher watcher;
        try {
            watcher = new ConfigWatcher(config, registry, loader, Duration.ofMillis(300), Duration.ofSeconds(5));
        } catch (ConfigException e) {
            e.errors().forEach(System.err::println);
            System.err.println("not starting: " + e.errors().size() + " config error(s)");
            return 2;
        }
        Node node = start(watcher, roles, registry);
        if (node == null) {
            watcher.close();
            return 3;
        }
        watcher.start();
        AutoCloseable extra = alsoRun == null ? null : alsoRun.apply(node);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Thread closer = new Thread(() -> {
                try {
                    if (extra != null) {
                        extra.close();
                    }
                } catch (Exception ignored) {
                    // stopping anyway
                }
                node.close();
                watcher.close();
                stopped.countDown();
            }, "safegrid-stop");
            closer.setDaemon(true);
            closer.start();
            StopDeadline.await(closer, node);
        }, "safegrid-shutdown"));
        System.out.printf("SafeGrid is running. Console: http://%s:%d/  (Ctrl-C to stop)%n",
                Node.displayHost(watcher.current()), node.httpPort());
        stopped.await();
        return 0;
    }

    /**
     * The node, started; or null after printing, one line each, the problems that keep it from starting
     * (a port taken, a data directory it cannot write, a wrong record URL): the setting and the fix, in
     * the operator's language. A failure nobody foresaw is thrown with its trace.
     */
    private static Node start(ConfigWatcher watcher, java.util.Set<String> roles, PrometheusMeterRegistry registry)
            throws Exception {
        Deployment d = watcher.current();
        java.util.Set<String> effective = roles == null || roles.isEmpty() ? d.node().roles() : roles;
        Texts t = Texts.choose(null);
        List<Finding> problems = Doctor.beforeStart().run(d, effective, (i, title) -> { }).stream()
                .filter(f -> f.status() == Finding.Status.FAIL).toList();
        if (!problems.isEmpty()) {
            problems.forEach(f -> System.err.println(t.get("start.refused") + f.line(t)));
            return null;
        }
        try {
            return new Node(watcher, roles, registry).start();
        } catch (Exception e) {
            Finding f = StartupFailure.explain(e, d, effective);
            if (f == null) {
                throw e;
            }
            System.err.println(t.get("start.refused") + f.line(t));
            return null;
        }
    }
}
