package io.safegrid.alerting.notify;

import io.safegrid.config.ChannelDef;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Reads and checks a channel's string settings; each problem is one line naming the channel and key. */
final class Settings {
    private final ChannelDef ch;
    private final List<String> problems;

    Settings(ChannelDef ch, List<String> problems) {
        this.ch = ch;
        this.problems = problems;
    }

    String get(String key) {
        String v = ch.settings().get(key);
        return v == null || v.isBlank() ? null : v.strip();
    }

    String get(String key, String dflt) {
        String v = get(key);
        return v == null ? dflt : v;
    }

    String required(String key) {
        String v = get(key);
        if (v == null) {
            problem(key + " is required");
        }
        return v;
    }

    String url(String key) {
        String v = required(key);
        if (v != null) {
            try {
                URI u = URI.create(v.replace("{phone}", "p").replace("{text}", "t"));
                if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                    problem(key + " must be an http(s) URL with a host, not '" + v + "'");
                }
            } catch (IllegalArgumentException e) {
                problem(key + " is not a URL: " + e.getMessage());
            }
        }
        return v;
    }

    int integer(String key, int dflt, int min, int max) {
        String v = get(key);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                problem(key + " must be in " + min + ".." + max + ", not " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            problem(key + " must be a whole number, not '" + v + "'");
            return dflt;
        }
    }

    boolean bool(String key, boolean dflt) {
        String v = get(key);
        if (v == null) {
            return dflt;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> {
                problem(key + " must be true or false, not '" + v + "'");
                yield dflt;
            }
        };
    }

    /** {@code 5s}, {@code 500ms}, {@code 1m} or an ISO-8601 duration. */
    Duration duration(String key, Duration dflt) {
        String v = get(key);
        if (v == null) {
            return dflt;
        }
        try {
            String t = v.toLowerCase(Locale.ROOT);
            Duration d = t.endsWith("ms") ? Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).strip()))
                    : t.endsWith("s") ? Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1).strip()))
                    : t.endsWith("m") ? Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1).strip()))
                    : Duration.parse(v);
            if (d.isNegative() || d.isZero()) {
                problem(key + " must be positive, not '" + v + "'");
                return dflt;
            }
            return d;
        } catch (RuntimeException e) {
            problem(key + " must be a duration like 5s or 500ms, not '" + v + "'");
            return dflt;
        }
    }

    String oneOf(String key, String dflt, String... allowed) {
        String v = get(key, dflt);
        for (String a : allowed) {
            if (a.equalsIgnoreCase(v)) {
                return a;
            }
        }
        problem(key + " must be one of " + String.join(", ", allowed) + ", not '" + v + "'");
        return dflt;
    }

    void problem(String text) {
        problems.add("channel " + ch.id() + " (" + ch.type() + "): " + text);
    }

    /** Throws the problems found so far as a permanent failure (used on the send path). */
    void throwIfAny() throws PermanentFailure {
        if (!problems.isEmpty()) {
            throw new PermanentFailure(String.join("; ", problems));
        }
    }
}
