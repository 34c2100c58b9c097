package io.safegrid.config.yaml;

import io.safegrid.config.BusConfig;
import java.time.Duration;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;

/** {@code bus:}, where the stages meet; left out, the in-process bus. */
final class BusSection {
    private static final Pattern SERVER = Pattern.compile("[A-Za-z0-9.\\-_\\[\\]:]+:\\d{1,5}");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]*");

    private BusSection() {
    }

    static BusConfig read(Doc doc, Node yaml) {
        BusConfig d = BusConfig.defaults();
        MapReader m = doc.map(yaml, "bus", "kind", "bootstrap-servers", "topic-prefix", "partitions", "session-timeout");
        String kind = m.string("kind", d.kind());
        if (!kind.equals(BusConfig.IN_PROCESS) && !kind.equals(BusConfig.KAFKA)) {
            doc.error(m.at("kind"), m.path("kind"), "unknown kind '" + kind + "' (expected in-process or kafka)");
        }
        String servers = m.string("bootstrap-servers", null);
        if (kind.equals(BusConfig.KAFKA) && servers == null) {
            doc.error(m.at("kind"), m.path("bootstrap-servers"), "required when kind is kafka");
        }
        if (servers != null) {
            for (String s : servers.split(",", -1)) {
                if (!SERVER.matcher(s.strip()).matches()) {
                    doc.error(m.at("bootstrap-servers"), m.path("bootstrap-servers"),
                            "expected host:port[,host:port], got '" + s.strip() + "'");
                    break;
                }
            }
        }
        String prefix = m.string("topic-prefix", d.topicPrefix());
        if (!PREFIX.matcher(prefix).matches() || prefix.length() > 100) {
            doc.error(m.at("topic-prefix"), m.path("topic-prefix"),
                    "a Kafka topic name may use only letters, digits, '.', '_' and '-'");
        }
        int partitions = m.integer("partitions", d.partitions(), 1, 1000);
        Duration session = m.duration("session-timeout", d.sessionTimeout());
        if (session != null && (session.toMillis() < 1000 || session.toMinutes() > 5)) {
            doc.error(m.at("session-timeout"), m.path("session-timeout"), "must be between 1s and 5m");
            session = d.sessionTimeout();
        }
        return new BusConfig(kind, servers == null ? null : servers.replace(" ", ""), prefix, partitions,
                session == null ? d.sessionTimeout() : session);
    }
}
