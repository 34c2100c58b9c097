package io.safegrid.config.yaml;

import io.safegrid.config.AcceptanceConfig;
import io.safegrid.config.DiskWatermarks;
import java.time.Duration;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/** {@code acceptance:}, the ingest journal, the reading time window and the disk watermarks; left out, the defaults. */
final class AcceptanceSection {
    private static final Set<String> FSYNC = Set.of(AcceptanceConfig.FSYNC_NONE, AcceptanceConfig.FSYNC_INTERVAL,
            AcceptanceConfig.FSYNC_ALWAYS);

    private AcceptanceSection() {
    }

    static AcceptanceConfig read(Doc doc, Node yaml) {
        AcceptanceConfig d = AcceptanceConfig.defaults();
        MapReader m = doc.map(yaml, "acceptance", "max-clock-skew", "journal", "fsync", "fsync-interval",
                "journal-max-mb", "journal-max-age", "journal-segment-mb", "checkpoint-interval",
                "disk-warn-free-mb", "disk-refuse-free-mb", "disk-alarm-reserve-mb");
        String fsync = m.string("fsync", d.fsync());
        if (!FSYNC.contains(fsync)) {
            doc.error(m.at("fsync"), m.path("fsync"), "unknown policy '" + fsync + "' (expected none, interval or always)");
            fsync = d.fsync();
        }
        Boolean journal = m.bool("journal", d.journal());
        int maxMb = m.integer("journal-max-mb", (int) (d.journalMaxBytes() >> 20), 16, 1_000_000);
        int segmentMb = m.integer("journal-segment-mb", (int) (d.segmentBytes() >> 20), 1, 1024);
        if (segmentMb * 4L > maxMb) {
            doc.error(m.at("journal-segment-mb"), m.path("journal-segment-mb"),
                    "must be at most a quarter of journal-max-mb (" + maxMb + ")");
            segmentMb = Math.max(1, maxMb / 4);
        }
        return new AcceptanceConfig(positive(doc, m, "max-clock-skew", d.maxClockSkew()), journal == null || journal,
                fsync, positive(doc, m, "fsync-interval", d.fsyncInterval()), ((long) maxMb) << 20,
                positive(doc, m, "journal-max-age", d.journalMaxAge()), ((long) segmentMb) << 20,
                positive(doc, m, "checkpoint-interval", d.checkpointInterval()), disk(doc, m, d.disk()));
    }

    /** The warning level must not be below the refusing one: the warning would never come first. */
    private static DiskWatermarks disk(Doc doc, MapReader m, DiskWatermarks d) {
        int max = 1 << 24;   // 16 TiB in MiB
        long warn = ((long) m.integer("disk-warn-free-mb", (int) (d.warnFreeBytes() >> 20), 0, max)) << 20;
        long refuse = ((long) m.integer("disk-refuse-free-mb", (int) (d.refuseFreeBytes() >> 20), 0, max)) << 20;
        long reserve = ((long) m.integer("disk-alarm-reserve-mb", (int) (d.alarmReserveBytes() >> 20), 0, max)) << 20;
        if (warn < refuse) {
            doc.error(m.at("disk-warn-free-mb"), m.path("disk-warn-free-mb"),
                    "must be at least disk-refuse-free-mb (" + (refuse >> 20) + ")");
            warn = refuse;
        }
        return new DiskWatermarks(warn, refuse, reserve);
    }

    private static Duration positive(Doc doc, MapReader m, String key, Duration def) {
        Duration v = m.duration(key, def);
        if (v == null || v.isZero() || v.isNegative()) {
            if (v != null) {
                doc.error(m.at(key), m.path(key), "must be above 0");
            }
            return def;
        }
        return v;
    }
}
