package io.safegrid.config.yaml;

import io.safegrid.config.ThreadSettings;
import java.util.Locale;

/** {@code node.threads:}; everything left out keeps {@link ThreadSettings#defaults()}. */
final class ThreadsSection {
    private ThreadsSection() {
    }

    static ThreadSettings read(Doc doc, MapReader node) {
        ThreadSettings d = ThreadSettings.defaults();
        if (!node.has("threads")) {
            return d;
        }
        MapReader m = node.map("threads", "priorities", "realtime", "opencv");
        boolean priorities = m.bool("priorities", d.priorities());
        ThreadSettings.Realtime realtime = d.realtime();
        String t = m.string("realtime");
        if (t != null) {
            realtime = switch (t.strip().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> ThreadSettings.Realtime.ON;
                case "false", "no", "off" -> ThreadSettings.Realtime.OFF;
                case "auto" -> ThreadSettings.Realtime.AUTO;
                default -> {
                    doc.error(m.at("realtime"), m.path("realtime"), "expected true, false or auto, got '" + t + "'");
                    yield d.realtime();
                }
            };
        }
        int opencv = m.integer("opencv", d.opencvThreads(), -1, 256);
        if (opencv == 0) {
            doc.error(m.at("opencv"), m.path("opencv"), "must be -1 (one per core) or 1 and more, got 0");
            opencv = d.opencvThreads();
        }
        return new ThreadSettings(priorities, realtime, opencv);
    }
}
