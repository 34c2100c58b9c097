package io.safegrid.config.yaml;

import io.safegrid.config.RecordConfig;
import java.net.URI;
import java.time.Duration;
import org.snakeyaml.engine.v2.nodes.Node;

/** {@code record:}, the time-series target; left out, the embedded QuestDB with its defaults. */
final class RecordSection {
    private RecordSection() {
    }

    static RecordConfig read(Doc doc, Node yaml) {
        RecordConfig d = RecordConfig.defaults();
        MapReader m = doc.map(yaml, "record", "target", "url", "org", "bucket", "token", "questdb-http-port",
                "batch-lines", "spool-max-mb", "retention", "gzip", "questdb-password");
        String target = m.string("target", d.target());
        if (!target.equals("questdb") && !target.equals("influxdb")) {
            doc.error(m.at("target"), m.path("target"), "unknown target '" + target + "' (expected questdb or influxdb)");
        }
        String url = m.string("url", null);
        if (target.equals("influxdb") && url == null) {
            doc.error(m.at("target"), m.path("url"), "required when target is influxdb");
        }
        if (url != null) {
            try {
                URI u = URI.create(url);
                if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
                    doc.error(m.at("url"), m.path("url"), "expected an http:// or https:// URL");
                }
            } catch (IllegalArgumentException e) {
                doc.error(m.at("url"), m.path("url"), "not a URL: " + e.getMessage());
            }
        }
        int port = m.integer("questdb-http-port", d.questDbHttpPort(), 0, 65535);
        int batch = m.integer("batch-lines", d.batchLines(), 1, 100_000);
        int spoolMb = m.integer("spool-max-mb", (int) (d.spoolMaxBytes() >> 20), 2, 1_000_000);
        Duration retention = m.duration("retention", d.retention());
        if (retention != null && (retention.isZero() || retention.isNegative())) {
            doc.error(m.at("retention"), m.path("retention"), "must be above 0");
            retention = d.retention();
        }
        Boolean gzip = m.bool("gzip", d.gzip());
        String questDbPassword = m.string("questdb-password", null);
        if (questDbPassword != null && questDbPassword.length() < 16) {
            doc.error(m.at("questdb-password"), m.path("questdb-password"), "at least 16 characters");
        }
        return new RecordConfig(target, url, m.string("org", d.org()), m.string("bucket", d.bucket()),
                m.string("token", null), port, batch, ((long) spoolMb) << 20, retention == null ? d.retention() : retention,
                gzip == null || gzip, questDbPassword);
    }
}
