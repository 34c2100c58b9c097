package io.safegrid.ingest.guard;

import static io.safegrid.ingest.TestDeployments.CH4;
import static io.safegrid.ingest.TestDeployments.CH4_SECRET;
import static io.safegrid.ingest.TestDeployments.CO;
import static io.safegrid.ingest.TestDeployments.CO_SECRET;
import static io.safegrid.ingest.TestDeployments.MINE;
import static io.safegrid.ingest.TestDeployments.MN;
import static io.safegrid.ingest.TestDeployments.PW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.safegrid.config.IngestLimits;
import io.safegrid.ingest.IngestFixture;
import io.safegrid.ingest.TestDeployments;
import io.safegrid.ingest.hj212.Hj212FrameEncoder;
import io.safegrid.ingest.mqtt.ReadingTopic;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.reading.Reading;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile and broken clients against a running ingest, on real loopback sockets: connection floods,
 * clients that drip or never read, unfinished HTTP bodies, password guessing. Sizes are small so
 * the suite runs in seconds; the limits are set low to match (docs/security.md has the defaults).
 */
class HostileClientsTest {
    static final int UNAUTH_PER_LISTENER = 40;
    static final int HIGH_WATER = 8 * 1024;
    static final int MAX_QUEUED = 64 * 1024;
    static final long BODY_BUDGET = 128 * 1024;
    /** The reading payload limit: below the body budget, as in production (256 KB against 64 MB). */
    static final int PAYLOAD_LIMIT = 64 * 1024;
    /**
     * The login and request deadline of the tests about deadlines, which wait it out: long enough that a
     * loaded machine still answers a first frame within it, short beside a dripped CONNECT (about 16 s).
     */
    static final Duration DEADLINE = Duration.ofSeconds(5);
    /**
     * The deadline of every other test: far beyond its run on a loaded machine, so that a stall of the
     * test or the node (a busy CI core, a cold JIT, a GC pause) cannot turn its answer into a timeout.
     */
    static final Duration NO_DEADLINE = Duration.ofSeconds(60);

    private final List<Socket> sockets = new ArrayList<>();
    private IngestFixture fx;

    static IngestLimits limits(int perAddress) {
        return limits(perAddress, NO_DEADLINE);
    }

    /** @param deadline the HJ 212 login, MQTT CONNECT and HTTP request deadline */
    static IngestLimits limits(int perAddress, Duration deadline) {
        return new IngestLimits(10_000, UNAUTH_PER_LISTENER, perAddress, 2048, deadline, deadline,
                deadline, HIGH_WATER, MAX_QUEUED, BODY_BUDGET, 10, 3, 1920L * 1080);
    }

    private IngestFixture start(IngestLimits l) {
        var node = TestDeployments.node(PAYLOAD_LIMIT, 10_000).withIngestLimits(l);
        fx = new IngestFixture(TestDeployments.deployment(node, List.of()), new InProcessBus(), Clock.systemUTC());
        return fx;
    }

    @AfterEach
    void close() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (fx != null) {
            fx.close();
        }
    }

    private Socket open(int port) throws IOException {
        Socket s = new Socket();
        // a flood fills the accept backlog, and a dropped SYN is sent again only after a second or more
        s.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
        s.setSoTimeout(30_000);
        sockets.add(s);
        return s;
    }

    // --- floods ------------------------------------------------------------------------------

    @Test
    void aFloodOfIdleAndDrippingConnectionsHoldsFewHandlesAndValidDevicesAreStillServedOnEveryProtocol() throws Exception {
        start(limits(10_000));
        int[] ports = {fx.ingest.mqttPort(), fx.ingest.hj212Port(), fx.ingest.httpPort()};
        int flood = 150;
        List<Socket> drippers = new ArrayList<>();
        for (int i = 0; i < flood; i++) {
            for (int port : ports) {
                Socket s = open(port);
                if (i % 3 == 0) {
                    drippers.add(s);
                }
            }
        }
        for (Socket s : drippers) {   // one byte each: a start that never finishes
            try {
                s.getOutputStream().write(s.getPort() == fx.ingest.mqttPort() ? 0x10 : s.getPort() == fx.ingest.hj212Port() ? '#' : 'P');
            } catch (IOException closedAlready) {
                // evicted meanwhile
            }
        }
        // connect() returns once the kernel has the connection, before the node accepts it: wait until the
        // node has taken in the whole flood, every connection but the newest it may hold evicted
        for (String p : List.of("mqtt", "hj212", "http")) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(fx.rejected(p, "evicted")).as(p + " evictions").isEqualTo(flood - UNAUTH_PER_LISTENER));
            assertThat(fx.ingest.guard(p).unauthenticated()).isEqualTo(UNAUTH_PER_LISTENER);
            assertThat(fx.ingest.guard(p).open()).isEqualTo(UNAUTH_PER_LISTENER);
        }

        // MQTT: CONNECT accepted, QoS 1 reading acknowledged
        try (Socket m = new Socket("127.0.0.1", fx.ingest.mqttPort())) {
            m.setSoTimeout(30_000);
            m.getOutputStream().write(connect(CH4, CH4_SECRET));
            assertThat(readN(m.getInputStream(), 4)).containsExactly(0x20, 0x02, 0x00, 0x00);
            m.getOutputStream().write(publishQos1(ReadingTopic.of("coalmine-7", CH4), 7, "{\"value\": 0.42}"));
            assertThat(readN(m.getInputStream(), 4)).containsExactly(0x40, 0x02, 0x00, 0x07);
        }
        // HJ 212: a good frame is answered 9014
        try (Socket h = new Socket("127.0.0.1", fx.ingest.hj212Port())) {
            h.setSoTimeout(30_000);
            h.getOutputStream().write(Hj212FrameEncoder.frame(upload(PW, "a21005-Rtd=3.5")));
            assertThat(line(h.getInputStream())).contains("CN=9014");
        }
        // HTTP: 202
        try (Socket w = new Socket("127.0.0.1", fx.ingest.httpPort())) {
            w.setSoTimeout(30_000);
            w.getOutputStream().write(post("/api/v1/readings", CO_SECRET, "{\"deviceId\": \"" + CO + "\", \"value\": 12}"));
            assertThat(line(w.getInputStream())).startsWith("HTTP/1.1 202");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(fx.readings).extracting(Reading::deviceId).contains(CH4, "chem2-co", CO));
        for (String p : List.of("mqtt", "hj212", "http")) {
            assertThat(fx.rejected(p, "evicted")).as(p + ": the device took the place of the oldest flood connection")
                    .isEqualTo(flood - UNAUTH_PER_LISTENER + 1);
        }
    }

    @Test
    void oneAddressHoldsAtMostItsShareOfUnauthenticatedConnections() throws Exception {
        start(limits(5));
        for (int i = 0; i < 12; i++) {
            open(fx.ingest.hj212Port());
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(fx.rejected("hj212", "address-cap")).isEqualTo(7));
        assertThat(fx.ingest.guard("hj212").unauthenticated()).isEqualTo(5);
    }

    // --- deadlines ----------------------------------------------------------------------------

    @Test
    void anMqttConnectDrippedOneByteAtATimeIsCutOffAtTheDeadlineNotKeptAliveByEachByte() throws Exception {
        start(limits(10_000, DEADLINE));
        Socket s = open(fx.ingest.mqttPort());
        byte[] connect = connect(CH4, CH4_SECRET);
        int sent = 0;
        boolean closed = false;
        // one byte every 300 ms: an idle timer would never fire; the whole CONNECT would take about 16 s
        while (sent < connect.length && !closed) {
            try {
                s.getOutputStream().write(connect[sent++]);
                s.getOutputStream().flush();
            } catch (IOException e) {
                closed = true;
                break;
            }
            Thread.sleep(300);
            closed = fx.rejected("mqtt", "login-timeout") > 0;
        }
        assertThat(closed).as("closed before the CONNECT was complete").isTrue();
        assertThat(sent).isLessThan(connect.length);
        s.setSoTimeout(30_000);
        assertThat(s.getInputStream().read()).isEqualTo(-1);
    }

    @Test
    void anHj212LoggerThatNeverLogsInIsClosedAtItsDeadline() throws Exception {
        start(limits(10_000, DEADLINE));
        Socket s = open(fx.ingest.hj212Port());
        // frames with a bad CRC are answered but do not log in
        s.getOutputStream().write(badCrcFrame("x".repeat(20)));
        assertThat(line(s.getInputStream())).contains("CN=9011");
        s.setSoTimeout(30_000);
        while (s.getInputStream().read() >= 0) {
            // drain until the node closes
        }
        assertThat(fx.rejected("hj212", "login-timeout")).isEqualTo(1);
    }

    // --- clients that never read ------------------------------------------------------------

    @Test
    void anHj212ClientThatNeverReadsItsRepliesCannotMakeTheNodeQueueMore() throws Exception {
        start(limits(10_000));
        // bad-CRC frames asking for a reply need no password; a long MN makes the reply as long as the frame
        byte[] frame = badCrcFrame("M".repeat(900));
        long maxQueued = neverRead(fx.ingest.hj212Port(), frame, null, "hj212");
        assertThat(maxQueued).isLessThanOrEqualTo(MAX_QUEUED + 2L * frame.length);
    }

    @Test
    void anMqttClientThatNeverReadsItsPingResponsesCannotMakeTheNodeQueueMore() throws Exception {
        start(limits(10_000));
        byte[] pings = new byte[2 * 4096];
        for (int i = 0; i < pings.length; i += 2) {
            pings[i] = (byte) 0xC0;   // PINGREQ, remaining length 0
        }
        long maxQueued = neverRead(fx.ingest.mqttPort(), pings, connect(CH4, CH4_SECRET), "mqtt");
        assertThat(maxQueued).isLessThanOrEqualTo(MAX_QUEUED + 8192);
    }

    /**
     * Sends {@code chunk} over and over without reading anything back, until the node stops taking
     * bytes or closes; returns the most reply bytes the node held queued meanwhile.
     */
    private long neverRead(int port, byte[] chunk, byte[] first, String protocol) throws Exception {
        ListenerGuard guard = fx.ingest.guard(protocol);
        long max = 0;
        try (SocketChannel ch = SocketChannel.open()) {
            ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4096);
            ch.connect(new InetSocketAddress("127.0.0.1", port));
            if (first != null) {
                ch.write(ByteBuffer.wrap(first));
                ByteBuffer ack = ByteBuffer.allocate(4);
                while (ack.hasRemaining()) {
                    ch.read(ack);
                }
            }
            ch.configureBlocking(false);
            long sent = 0;
            int stuck = 0;
            ByteBuffer b = ByteBuffer.wrap(chunk);
            // the node's send buffer and ours take some megabytes before anything queues in the node
            while (sent < 256L * 1024 * 1024 && stuck < 200) {
                int n;
                try {
                    n = ch.write(b);
                } catch (IOException closed) {
                    break;
                }
                sent += n;
                if (!b.hasRemaining()) {
                    b.rewind();
                }
                if (n == 0) {
                    stuck++;
                    Thread.sleep(10);
                } else {
                    stuck = 0;
                }
                max = Math.max(max, guard.queuedBytes());
            }
            max = Math.max(max, guard.queuedBytes());
            assertThat(stuck >= 200 || fx.rejected(protocol, "write-overflow") > 0)
                    .as("the node stopped reading or closed the connection (sent %d bytes)", sent).isTrue();
        }
        return max;
    }

    // --- HTTP bodies ----------------------------------------------------------------------------

    @Test
    void aChunkedReadingBodyOverTheReadingLimitIsRefusedAtThatLimit() throws Exception {
        start(limits(10_000));
        Socket s = open(fx.ingest.httpPort());
        OutputStream out = s.getOutputStream();
        out.write(("POST /api/v1/readings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + CO_SECRET
                + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = new byte[16 * 1024];
        java.util.Arrays.fill(chunk, (byte) ' ');
        String response = null;
        try {
            for (int i = 0; i < 40 && response == null; i++) {   // 640 KB if nobody stops it
                out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                if (s.getInputStream().available() > 0) {
                    response = line(s.getInputStream());
                }
            }
        } catch (IOException closed) {
            // the node ended the connection after its answer
        }
        if (response == null) {
            response = line(s.getInputStream());
        }
        assertThat(response).startsWith("HTTP/1.1 413");
        assertThat(fx.rejected("http", "too-large")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(fx.ingest.bodies().held()).isZero());
    }

    @Test
    void aWrongTokenIsRefusedBeforeAnyOfTheBodyIsRead() throws Exception {
        start(limits(10_000));
        Socket s = open(fx.ingest.httpPort());
        s.getOutputStream().write(("POST /api/v1/readings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer guess-1"
                + "\r\nContent-Length: 200000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(line(s.getInputStream())).startsWith("HTTP/1.1 401");
        assertThat(fx.ingest.bodies().held()).isZero();
    }

    @Test
    void anUnparsableContentLengthGetsA400() throws Exception {
        start(limits(10_000));
        Socket s = open(fx.ingest.httpPort());
        s.getOutputStream().write(("POST /api/v1/readings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + CO_SECRET
                + "\r\nContent-Length: 12abc\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
        assertThat(line(s.getInputStream())).startsWith("HTTP/1.1 400");
    }

    @Test
    void aBodyThatNeverFinishesGetsA408AtTheRequestDeadline() throws Exception {
        start(limits(10_000, DEADLINE));
        Socket s = open(fx.ingest.httpPort());
        s.getOutputStream().write(("POST /api/v1/readings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + CO_SECRET
                + "\r\nContent-Length: 100\r\n\r\n{\"deviceId\":").getBytes(StandardCharsets.US_ASCII));
        s.setSoTimeout(30_000);
        assertThat(line(s.getInputStream())).startsWith("HTTP/1.1 408");
        assertThat(fx.ingest.bodies().held()).isZero();
    }

    @Test
    void unfinishedBodiesTogetherStayWithinTheNodesBudgetAndTheRestGet503() throws Exception {
        start(limits(10_000));
        byte[] part = new byte[50 * 1024];
        java.util.Arrays.fill(part, (byte) ' ');
        List<Socket> uploads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Socket s = open(fx.ingest.httpPort());
            s.getOutputStream().write(("POST /api/v1/readings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + CO_SECRET
                    + "\r\nContent-Length: 60000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(part);
            uploads.add(s);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(fx.rejected("http", "busy")).isEqualTo(2));
        assertThat(fx.ingest.bodies().held()).isLessThanOrEqualTo(BODY_BUDGET);
        // the refusal is counted before its answer is written: wait for the two answers to arrive
        await().atMost(Duration.ofSeconds(30)).until(() -> answered(uploads) == 2);
        int refused = 0;
        for (Socket s : uploads) {
            if (s.getInputStream().available() > 0) {
                assertThat(line(s.getInputStream())).startsWith("HTTP/1.1 503");
                refused++;
                continue;
            }
            s.setSoTimeout(300);
            try {
                String l = line(s.getInputStream());
                throw new AssertionError("an upload within the budget was answered: " + l);
            } catch (SocketTimeoutException stillUploading) {
                // this one holds part of the budget
            }
        }
        assertThat(refused).isEqualTo(2);
        assertThat(fx.rejected("http", "busy")).isEqualTo(2);
        for (Socket s : uploads) {
            s.close();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(fx.ingest.bodies().held()).isZero());
    }

    /** How many of {@code sockets} have an answer waiting to be read. */
    private static int answered(List<Socket> sockets) throws IOException {
        int n = 0;
        for (Socket s : sockets) {
            if (s.getInputStream().available() > 0) {
                n++;
            }
        }
        return n;
    }

    // --- password guessing --------------------------------------------------------------------

    @Test
    void mqttPasswordGuessingIsThrottledAfterTenAMinuteAndRaisesACredentialAttackFinding() throws Exception {
        start(limits(10_000));
        int badCredentials = 0;
        for (int i = 0; i < 25; i++) {
            try (Socket s = new Socket("127.0.0.1", fx.ingest.mqttPort())) {
                s.setSoTimeout(30_000);
                s.getOutputStream().write(connect(CH4, "guess-" + i));
                assertThat(readN(s.getInputStream(), 4)).containsExactly(0x20, 0x02, 0x00, 0x04);
            }
        }
        badCredentials = (int) fx.rejected("mqtt", "bad-credentials");
        assertThat(badCredentials).isEqualTo(10);
        assertThat(fx.rejected("mqtt", "throttled")).isEqualTo(15);
        assertThat(counter("safegrid.ingest.auth.throttled")).isEqualTo(15);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(fx.findings)
                .filteredOn(f -> f.kind() == FindingKind.CREDENTIAL_ATTACK).singleElement()
                .satisfies(f -> {
                    assertThat(f.sourceId()).isEqualTo(CH4);
                    assertThat(f.site()).isEqualTo(MINE);
                    assertThat(f.isActive()).isTrue();
                }));
        // even the right secret is not looked at from this address for the rest of the minute
        try (Socket s = new Socket("127.0.0.1", fx.ingest.mqttPort())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(connect(CH4, CH4_SECRET));
            assertThat(readN(s.getInputStream(), 4)).containsExactly(0x20, 0x02, 0x00, 0x04);
        }
    }

    @Test
    void anHj212ConnectionIsClosedAfterAFewWrongPasswords() throws Exception {
        start(limits(10_000));
        Socket s = open(fx.ingest.hj212Port());
        for (int i = 0; i < 5; i++) {
            try {
                s.getOutputStream().write(Hj212FrameEncoder.frame(upload("99999" + i, "a21005-Rtd=1.0")));
            } catch (IOException closed) {
                break;
            }
        }
        List<String> replies = new ArrayList<>();
        String l;
        while ((l = lineOrNull(s.getInputStream())) != null) {
            replies.add(l);
        }
        assertThat(replies).hasSize(3).allMatch(r -> r.contains("CN=9011") && r.contains("QnRtn=3&&"));
        assertThat(fx.rejected("hj212", "bad-password")).isEqualTo(3);
    }

    @Test
    void httpTokenGuessingFromOneAddressIsThrottledAfterTenAMinuteEvenForTheRightToken() throws Exception {
        start(limits(10_000));
        List<String> answers = new ArrayList<>();
        for (int i = 0; i <= 25; i++) {
            try (Socket s = new Socket("127.0.0.1", fx.ingest.httpPort())) {
                s.setSoTimeout(30_000);
                s.getOutputStream().write(post("/api/v1/readings", i < 25 ? "guess-" + i : CO_SECRET,
                        "{\"deviceId\": \"" + CO + "\", \"value\": 12}"));
                answers.add(line(s.getInputStream()).substring(0, 12));
            }
        }
        assertThat(answers.subList(0, 10)).containsOnly("HTTP/1.1 401");
        assertThat(answers.subList(10, 26)).as("refused without looking at the token").containsOnly("HTTP/1.1 429");
        assertThat(fx.rejected("http", "unauthorized")).isEqualTo(10);
        assertThat(fx.rejected("http", "throttled")).isEqualTo(16);
    }

    @Test
    void hj212PasswordGuessingOverFreshConnectionsIsThrottledAfterTenAMinute() throws Exception {
        start(limits(10_000));
        for (int i = 0; i < 25; i++) {
            try (Socket s = new Socket("127.0.0.1", fx.ingest.hj212Port())) {
                s.setSoTimeout(30_000);
                s.getOutputStream().write(Hj212FrameEncoder.frame(upload("8888" + i, "a21005-Rtd=1.0")));
                assertThat(line(s.getInputStream())).contains("CN=9011");
            }
        }
        assertThat(fx.rejected("hj212", "bad-password")).isEqualTo(10);
        assertThat(fx.rejected("hj212", "throttled")).as("not looked at").isEqualTo(15);
    }

    private double counter(String name) {
        Counter c = fx.registry.find(name).counter();
        return c == null ? 0 : c.count();
    }

    // --- wire helpers -------------------------------------------------------------------------

    static String upload(String pw, String cp) {
        return "QN=20240101120000001;ST=22;CN=2011;PW=" + pw + ";MN=" + MN + ";Flag=5;CP=&&DataTime=20240101120000;" + cp + "&&";
    }

    /** A frame asking for an answer, with a wrong CRC. */
    static byte[] badCrcFrame(String mn) {
        byte[] f = Hj212FrameEncoder.frame("QN=20240101120000001;ST=22;CN=2011;PW=1;MN=" + mn + ";Flag=5;CP=&&a21005-Rtd=1&&");
        f[f.length - 6] = f[f.length - 6] == '0' ? (byte) '1' : (byte) '0';
        return f;
    }

    static byte[] post(String path, String token, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return ("POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\nContent-Type: application/json"
                + "\r\nContent-Length: " + b.length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    /** An MQTT 3.1.1 CONNECT with user name and password, keep-alive 60 s. */
    static byte[] connect(String user, String password) {
        ByteArrayOutputStream vh = new ByteArrayOutputStream();
        string(vh, "MQTT");
        vh.write(4);
        vh.write(0xC2);
        vh.write(0);
        vh.write(60);
        string(vh, "c-" + System.nanoTime());
        string(vh, user);
        string(vh, password);
        return packet(0x10, vh.toByteArray());
    }

    static byte[] publishQos1(String topic, int packetId, String payload) {
        ByteArrayOutputStream vh = new ByteArrayOutputStream();
        string(vh, topic);
        vh.write(packetId >> 8);
        vh.write(packetId & 0xFF);
        vh.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
        return packet(0x32, vh.toByteArray());
    }

    private static byte[] packet(int type, byte[] body) {
        return io.safegrid.testing.MqttFrames.packet(type, body);
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >> 8);
        out.write(b.length & 0xFF);
        out.writeBytes(b);
    }

    static int[] readN(InputStream in, int n) throws IOException {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = in.read();
        }
        return out;
    }

    static String line(InputStream in) throws IOException {
        String l = lineOrNull(in);
        if (l == null) {
            throw new IOException("connection closed before a line");
        }
        return l;
    }

    static String lineOrNull(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        try {
            while ((c = in.read()) >= 0 && c != '\n') {
                sb.append((char) c);
            }
        } catch (java.net.SocketException reset) {
            c = -1;
        }
        if (c < 0 && sb.isEmpty()) {
            return null;
        }
        return sb.toString().strip();
    }
}
