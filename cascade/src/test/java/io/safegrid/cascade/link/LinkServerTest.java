package io.safegrid.cascade.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.safegrid.cascade.store.LinkStore;
import io.safegrid.config.CascadeConfig;
import io.safegrid.config.auth.PasswordHash;
import io.safegrid.model.Level;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The county's listener spoken to frame by frame over a plain socket, as a misbehaving peer might. */
class LinkServerTest {
    private static final String TOKEN = "t0ken-of-the-mine";
    private static final CascadeConfig CONFIG = new CascadeConfig(null, 0, List.of(new CascadeConfig.Peer("mine",
            PasswordHash.hash(TOKEN.toCharArray()), GridPath.parse("xian/town/mine"))), 1 << 20, Duration.ofSeconds(1));

    @TempDir
    Path dir;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<Message> applied = new CopyOnWriteArrayList<>();
    private EventLoopGroup group;
    private LinkStore store;
    private LinkServer server;

    @BeforeEach
    void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        store = new LinkStore(dir, 1 << 20);
        server = new LinkServer(() -> CONFIG, store, (peer, m) -> applied.add(m), new LinkMetrics(meters));
        server.start(group, "127.0.0.1", 0);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        store.close();
    }

    /** A peer that writes and reads the wire format by hand. */
    private final class RawPeer implements AutoCloseable {
        final Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        final DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        final DataInputStream in = new DataInputStream(socket.getInputStream());

        RawPeer() throws IOException {
            socket.setSoTimeout(30_000);
        }

        void send(Frame f) throws IOException {
            byte[] b = Wire.JSON.writeValueAsBytes(f);
            out.writeInt(b.length);
            out.write(b);
            out.flush();
        }

        Frame read() throws IOException {
            while (true) {
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                Frame f = Wire.JSON.readValue(b, Frame.class);
                if (f.type() != Frame.Type.PING) {
                    return f;
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static JsonNode finding(String id) {
        Finding f = new Finding(id, FindingKind.THRESHOLD, Level.RED, Condition.ACTIVE, "ch4-1",
                GridPath.parse("xian/town/mine"), "methane", null, 1.6, 1.5, Instant.now(), "甲烷超限", null, Map.of());
        return Wire.JSON.valueToTree(Message.of(f));
    }

    private double count(String name, String... tags) {
        var c = meters.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aMessageSentTwiceIsAppliedOnceAndAcknowledgedBothTimesEvenAfterARestartOfTheLink() throws Exception {
        try (RawPeer p = new RawPeer()) {
            p.send(Frame.hello("mine", TOKEN, 0));
            assertThat(p.read()).isEqualTo(Frame.welcome(0));
            p.send(Frame.msg(1, finding("a")));
            assertThat(p.read()).isEqualTo(Frame.ack(1));
            p.send(Frame.msg(1, finding("a")));
            assertThat(p.read()).isEqualTo(Frame.ack(1));
        }
        // a new connection learns where the county stands, and a resend is still recognised
        try (RawPeer p = new RawPeer()) {
            p.send(Frame.hello("mine", TOKEN, 0));
            assertThat(p.read()).isEqualTo(Frame.welcome(1));
            p.send(Frame.msg(1, finding("a")));
            assertThat(p.read()).isEqualTo(Frame.ack(1));
            p.send(Frame.msg(2, finding("b")));
            assertThat(p.read()).isEqualTo(Frame.ack(2));
        }
        assertThat(applied).extracting(m -> m.finding().id()).containsExactly("a", "b");
        assertThat(count("safegrid.cascade.duplicates", "peer", "mine")).isEqualTo(2);
        assertThat(store.lastApplied("mine")).isEqualTo(2);
    }

    @Test
    void aHoleInTheNumbersLeftByTheSendersQueueBoundIsCountedAndTheRestApplied() throws Exception {
        try (RawPeer p = new RawPeer()) {
            p.send(Frame.hello("mine", TOKEN, 0));
            assertThat(p.read()).isEqualTo(Frame.welcome(0));
            p.send(Frame.msg(1, finding("a")));
            assertThat(p.read()).isEqualTo(Frame.ack(1));
            p.send(Frame.msg(5, finding("e")));
            assertThat(p.read()).isEqualTo(Frame.ack(5));
        }
        assertThat(applied).extracting(m -> m.finding().id()).containsExactly("a", "e");
        assertThat(count("safegrid.cascade.gaps", "peer", "mine")).isEqualTo(3);
    }

    @Test
    void anythingButHelloFirstIsRefusedAndTheConnectionClosed() throws Exception {
        try (RawPeer p = new RawPeer()) {
            p.send(Frame.msg(1, finding("a")));
            Frame f = p.read();
            assertThat(f.type()).isEqualTo(Frame.Type.DENIED);
            assertThat(f.reason()).contains("expected HELLO");
            assertThat(p.in.read()).isEqualTo(-1);
        }
        assertThat(applied).isEmpty();
        assertThat(count("safegrid.cascade.refused", "peer", "unknown", "reason", "bad-frame")).isEqualTo(1);
    }

    @Test
    void anUnknownPeerIsRefusedWithoutSayingWhy() throws Exception {
        try (RawPeer p = new RawPeer()) {
            p.send(Frame.hello("plant", TOKEN, 0));
            assertThat(p.read()).isEqualTo(Frame.denied("authentication failed"));
            assertThat(p.in.read()).isEqualTo(-1);
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                count("safegrid.cascade.refused", "peer", "unknown", "reason", "auth") == 1);
    }

    @Test
    void garbageIsCountedAndTheConnectionClosed() throws Exception {
        try (RawPeer p = new RawPeer()) {
            p.out.writeInt(5);
            p.out.write("nope!".getBytes());
            p.out.flush();
            assertThat(p.in.read()).isEqualTo(-1);
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                count("safegrid.cascade.refused", "peer", "unknown", "reason", "bad-frame") == 1);
    }

    @Test
    void connectionsThatNeverSayHelloHoldOnlyTheirShareAndStopCountingOnceALinkIsUp() throws Exception {
        List<Socket> idle = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < LinkServer.MAX_HANDSHAKES_PER_ADDRESS + 4; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
                s.setSoTimeout(30_000);
                idle.add(s);
            }
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    count("safegrid.cascade.refused", "peer", "unknown", "reason", "too-many-handshakes") == 4);
            for (Socket s : idle.subList(LinkServer.MAX_HANDSHAKES_PER_ADDRESS, idle.size())) {
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(server.pendingHandshakes()).isEqualTo(LinkServer.MAX_HANDSHAKES_PER_ADDRESS);
            idle.get(0).close();
            await().atMost(Duration.ofSeconds(30)).until(() -> server.pendingHandshakes() == LinkServer.MAX_HANDSHAKES_PER_ADDRESS - 1);
            try (RawPeer p = new RawPeer()) {
                p.send(Frame.hello("mine", TOKEN, 0));
                assertThat(p.read().type()).isEqualTo(Frame.Type.WELCOME);
                assertThat(server.pendingHandshakes()).isEqualTo(LinkServer.MAX_HANDSHAKES_PER_ADDRESS - 1);
            }
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }
}
