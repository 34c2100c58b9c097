package io.safegrid.node.fault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code safegrid run} as its own JVM, on the test's classpath, so that it can be killed like a real node. */
final class ChildNode {
    private final Process process;
    private final Path log;

    private ChildNode(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ChildNode start(Path config, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx768m", "-cp", System.getProperty("java.class.path"),
                "io.safegrid.node.cli.SafeGridCli", "run", "-c", config.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new ChildNode(p, log);
    }

    /** Waits for the run command's ready line (printed once every listener is bound and the journal replayed). */
    void awaitReady(Duration timeout, int readyLinesBefore) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (readyLines() > readyLinesBefore) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("node exited with " + process.exitValue() + ":\n" + tail());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("node not ready in " + timeout + ":\n" + tail());
    }

    int readyLines() throws IOException {
        return (int) Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.contains("SafeGrid is running")).count();
    }

    /** SIGKILL: no shutdown hook, no flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM; true if the process was gone within {@code timeout}. */
    boolean terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean alive() { return process.isAlive(); }

    String tail() throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
