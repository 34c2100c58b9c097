package io.safegrid.node.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The {@code safegrid} CLI as its own JVM on the test's classpath, as an operator runs it: exit code and everything it printed. */
final class CliProcess {
    private final Process process;
    private final Path out;
    private final Path err;

    private CliProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    static CliProcess start(Path dir, Map<String, String> env, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.safegrid.node.cli.SafeGridCli"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "cli", ".out");
        Path err = Files.createTempFile(dir, "cli", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        return new CliProcess(pb.start(), out, err);
    }

    /** Runs it to its end; the exit code. */
    static CliProcess run(Path dir, Map<String, String> env, String... args) throws Exception {
        CliProcess p = start(dir, env, args);
        if (!p.process.waitFor(180, TimeUnit.SECONDS)) {
            p.process.destroyForcibly();
            throw new AssertionError("safegrid " + String.join(" ", args) + " did not end in 180 s:\n" + p.all());
        }
        return p;
    }

    int exitCode() { return process.exitValue(); }

    /** Waits until the output has a line containing {@code text}, while the process lives. */
    void awaitLine(String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (all().contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("exited with " + process.exitValue() + " before '" + text + "':\n" + all());
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + text + "' in " + timeout + ":\n" + all());
    }

    /** SIGKILL: the process gets no chance to close anything (a crashed machine, {@code kill -9}). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    String out() throws IOException { return Files.readString(out, StandardCharsets.UTF_8); }

    String err() throws IOException { return Files.readString(err, StandardCharsets.UTF_8); }

    String all() throws IOException { return out() + err(); }
}
