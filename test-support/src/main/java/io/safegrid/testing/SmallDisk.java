package io.safegrid.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real small filesystem (tmpfs) mounted for one test, which the test fills and frees. Needs
 * root on Linux; elsewhere the test is skipped with the reason.
 */
public final class SmallDisk implements AutoCloseable {
    public final Path dir;
    private final Path filler;

    private SmallDisk(Path dir) {
        this.dir = dir;
        this.filler = dir.resolve("filler.bin");
    }

    public static SmallDisk mount(Path dir, int mib) throws Exception {
        Files.createDirectories(dir);
        String os = System.getProperty("os.name", "");
        Assumptions.assumeTrue(os.toLowerCase().contains("linux"), "a small tmpfs needs Linux (running on " + os + ")");
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + mib + "m", "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        boolean done = p.waitFor(20, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes());
        Assumptions.assumeTrue(done && p.exitValue() == 0,
                "cannot mount a tmpfs here (needs root, or CAP_SYS_ADMIN in a container): " + out.strip());
        return new SmallDisk(dir);
    }

    /** Writes to a filler file until the filesystem says it is full. */
    public void fill() throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    /**
     * Fills the filesystem, then gives {@code bytes} back: for a server that stops taking data below
     * a free-space floor of its own (VictoriaMetrics' read-only mode) before its writes fail.
     */
    public void fillLeaving(long bytes) throws IOException {
        fill();
        try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(filler, java.nio.file.StandardOpenOption.WRITE)) {
            f.truncate(Math.max(0, f.size() - bytes));
        }
    }

    /** Gives the filler's space back. */
    public void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    public long usable() throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    @Override
    public void close() throws Exception {
        new ProcessBuilder("umount", "-l", dir.toString()).redirectErrorStream(true).start().waitFor(20, TimeUnit.SECONDS);
    }
}
