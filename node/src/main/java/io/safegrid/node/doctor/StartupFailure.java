package io.safegrid.node.doctor;

import io.safegrid.config.Deployment;
import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.sql.SQLException;
import java.util.Set;

/**
 * Turns what stopped a node from starting into the one finding an operator can act on: the setting and
 * its fix, instead of a stack trace. Null for failures it does not know; those stay errors with their trace.
 */
public final class StartupFailure {

    private StartupFailure() {
    }

    public static Finding explain(Throwable failure, Deployment d, Set<String> roles) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String msg = String.valueOf(t.getMessage());
            if (t instanceof BindException || msg.contains("Address already in use")) {
                // Netty's bind error does not say which port: the listener that is still taken now does
                for (PortCheck.Listener l : PortCheck.listeners(d, roles)) {
                    Finding f = PortCheck.probe(l);
                    if (f.status() == Finding.Status.FAIL) {
                        return f;
                    }
                }
                return Finding.fail("node.bind-address", "port.taken.unknown", d.node().bindAddress());
            }
            if (t instanceof AccessDeniedException || t instanceof FileSystemException
                    || msg.contains("Read-only file system") || msg.contains("Permission denied")) {
                Finding f = DataDirCheck.check(d.node().dataDir());
                return f.status() == Finding.Status.FAIL ? f
                        : Finding.fail(DataDirCheck.KEY, "datadir.unwritable", d.node().dataDir().toAbsolutePath(), msg);
            }
            if (t instanceof SQLException s && "55P03".equals(s.getSQLState()) && d.alarms().postgres()) {
                return Finding.fail(DatabaseCheck.ALARMS, "database.inuse", d.alarms().url().replaceFirst("\\?.*", ""));
            }
            if (t instanceof SQLException && (msg.contains("already in use") || msg.contains("Locked by another"))) {
                return Finding.fail(DataDirCheck.KEY, "datadir.locked", d.node().dataDir().toAbsolutePath());
            }
            if (t.getClass().getName().startsWith("org.apache.kafka") && d.bus().isKafka()) {
                return Finding.fail(KafkaCheck.KEY, "kafka.unreachable", d.bus().bootstrapServers());
            }
        }
        return null;
    }
}
