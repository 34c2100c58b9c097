package io.safegrid.bus.kafka.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A one-node Kafka (KRaft, broker and controller in one) inside the test JVM, on 127.0.0.1 and
 * two free ports, with its logs in a directory the caller owns (a {@code @TempDir}). Tuned for
 * tests: replication 1, no initial rebalance delay, session timeouts down to 1 s allowed.
 *
 * <p>For tests and benchmarks only. The broker ({@code org.apache.kafka:kafka_2.13}) is an optional
 * dependency of this module, so a node never carries it: whoever starts one declares it.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final KafkaRaftServer server;
    private final String bootstrap;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrap) {
        this.server = server;
        this.bootstrap = bootstrap;
    }

    public static EmbeddedKafka start(Path logDir) throws Exception {
        int brokerPort = freePort();
        int controllerPort = freePort();
        String dir = logDir.toAbsolutePath().toString();
        Properties p = oneNode(brokerPort, controllerPort, dir);
        p.put("offsets.topic.num.partitions", "4");
        p.put("group.min.session.timeout.ms", "1000");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("log.cleaner.enable", "false");

        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(1)
                .setDirectories(List.of(dir))
                .setMetadataLogDirectory(dir)
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setControllerListenerName("CONTROLLER")
                .run();
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(p, false), Time.SYSTEM);
        server.startup();
        EmbeddedKafka k = new EmbeddedKafka(server, "127.0.0.1:" + brokerPort);
        k.awaitReady();
        return k;
    }

    /**
     * A one-node KRaft cluster (broker and controller) on 127.0.0.1 with its log in {@code logDir}: the
     * listeners, and replication factors of 1 for Kafka's internal topics. Also what a bench writes into the
     * {@code server.properties} of a broker it starts as a process of its own.
     */
    public static Properties oneNode(int brokerPort, int controllerPort, String logDir) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("log.dirs", logDir);
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    private void awaitReady() throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public String bootstrapServers() { return bootstrap; }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
