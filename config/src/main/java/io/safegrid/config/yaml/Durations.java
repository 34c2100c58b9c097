package io.safegrid.config.yaml;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Human durations as people write them in a config file: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h30m}, {@code 2d}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

    private Durations() {
    }

    /** @throws IllegalArgumentException with a message fit for an operator */
    public static Duration parse(String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT).replace(" ", "");
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        if (t.startsWith("p")) {
            try {
                return Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
            } catch (java.time.format.DateTimeParseException e) {
                throw bad(text);
            }
        }
        Matcher m = PART.matcher(t);
        int at = 0;
        double millis = 0;
        while (m.find() && m.start() == at) {
            double n = Double.parseDouble(m.group(1));
            millis += n * switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                default -> 86_400_000;
            };
            at = m.end();
        }
        if (at != t.length() || at == 0) {
            throw bad(text);
        }
        return Duration.ofMillis(Math.round(millis));
    }

    /** The shortest form {@link #parse} reads back, e.g. {@code 90s} → {@code 1m30s}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        long[] sizes = {86_400_000, 3_600_000, 60_000, 1_000, 1};
        String[] units = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms >= sizes[i]) {
                b.append(ms / sizes[i]).append(units[i]);
                ms %= sizes[i];
            }
        }
        return b.toString();
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("'" + text + "' is not a duration (write e.g. 30s, 10m, 1h, 1h30m, 500ms)");
    }
}
