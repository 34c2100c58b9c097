package io.safegrid.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** CPU time of another process on this machine, and of its threads, read from {@code /proc}. */
public final class ProcessCpu {
    private ProcessCpu() {
    }

    /** User + system CPU seconds process {@code pid} has used so far, NaN when it cannot be read. */
    static double seconds(long pid) {
        return seconds(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /**
     * CPU seconds per thread kind of process {@code pid}: threads named alike but for their numbers
     * ({@code C2 CompilerThre0}, {@code GC Thread#1}, an event loop's {@code ...Group-2-1}) are summed.
     * The names are the kernel's, cut at 15 characters.
     */
    public static Map<String, Double> byThread(long pid) {
        Map<String, Double> out = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(t -> {
                try {
                    String name = Files.readString(t.resolve("comm")).trim().replaceAll("[0-9]+", "#");
                    double s = seconds(t.resolve("stat"));
                    if (!Double.isNaN(s)) {
                        out.merge(name, s, Double::sum);
                    }
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException | RuntimeException e) {
            return out;
        }
        return out;
    }

    /** {@code after - before} per thread kind, largest first, as {@code name 1.23 s} text. */
    public static String difference(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> d = new TreeMap<>();
        after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0.0)));
        StringBuilder sb = new StringBuilder();
        d.entrySet().stream().filter(e -> e.getValue() >= 0.01)
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .forEach(e -> sb.append(sb.isEmpty() ? "" : ", ").append(e.getKey()).append(' ')
                        .append(String.format("%.2f s", e.getValue())));
        return sb.toString();
    }

    private static double seconds(Path stat) {
        try {
            String[] f = Files.readString(stat).split("\\) ", 2)[1].split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
