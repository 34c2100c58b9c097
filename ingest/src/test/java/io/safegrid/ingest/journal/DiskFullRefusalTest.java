package io.safegrid.ingest.journal;

import static io.safegrid.ingest.TestDeployments.CH4;
import static io.safegrid.ingest.TestDeployments.CH4_SECRET;
import static io.safegrid.ingest.TestDeployments.CO_SECRET;
import static io.safegrid.ingest.TestDeployments.MN;
import static io.safegrid.ingest.TestDeployments.PW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.safegrid.ingest.IngestFixture;
import io.safegrid.ingest.hj212.Hj212FrameEncoder;
import io.safegrid.ingest.mqtt.ReadingTopic;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Below the refusing watermark the journal takes nothing, and each protocol says so its own way: MQTT 5
 * PUBACK 0x97, MQTT 3.1.1 a closed connection, HTTP 503 with Retry-After, HJ 212 no 9014 on an open
 * connection. The free space is the real file system's (statfs of the journal's directory); the
 * watermark is put above it by setting aside more than the disk has, then given back.
 */
class DiskFullRefusalTest {
    @TempDir
    Path dir;
    private final IngestFixture fx = new IngestFixture();
    private final AtomicLong setAside = new AtomicLong();
    private Journal journal;

    @BeforeEach
    void start() throws Exception {
        // refuse below 1 MiB of free space, looked at on every group
        DiskRoom room = new DiskRoom(dir, 1 << 20, setAside::get, 0);
        journal = Journal.open(JournalSettings.defaults(dir), room, fx.registry, Clock.systemUTC());
        fx.ingest.acknowledgeWith(new GroupCommit(journal));
    }

    @AfterEach
    void stop() {
        fx.close();
        journal.close();
    }

    private void diskFull(boolean full) throws IOException {
        setAside.set(full ? Files.getFileStore(dir).getTotalSpace() : 0);
    }

    private double refused(String protocol) {
        return fx.rejected(protocol, "disk-full");
    }

    @Test
    void mqtt5GetsPubackQuotaExceededAndTheSameMessageIsTakenOnceThereIsRoom() throws Exception {
        diskFull(true);
        try (Mqtt5 c = new Mqtt5(fx.ingest.mqttPort())) {
            assertThat(c.publish(7, "{\"value\": 1.5}")).as("PUBACK reason code").isEqualTo(0x97);
            assertThat(c.reasonString).contains("disk almost full");
            // judged all the same: an alarm on it would still go out
            await().atMost(Duration.ofSeconds(30)).until(() -> fx.readings.size() == 1);
            assertThat(refused("mqtt")).isEqualTo(1);
            assertThat(fx.registry.counter("safegrid.journal.refused").count()).isEqualTo(1);
            assertThat(journal.lastSequence()).isZero();

            diskFull(false);
            assertThat(c.publish(8, "{\"value\": 1.5}")).isEqualTo(0x00);
            assertThat(journal.lastSequence()).isEqualTo(1);
        }
    }

    @Test
    void mqtt311HasNoRefusingPubackSoTheConnectionIsClosed() throws Exception {
        diskFull(true);
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + fx.ingest.mqttPort(), "df-" + System.nanoTime(), new MemoryPersistence());
        c.setTimeToWait(30_000);
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(CH4);
        o.setPassword(CH4_SECRET.toCharArray());
        o.setAutomaticReconnect(false);
        c.connect(o);
        assertThatThrownBy(() -> c.publish(ReadingTopic.of("coalmine-7", CH4), "{\"value\": 1}".getBytes(StandardCharsets.UTF_8),
                1, false)).isInstanceOf(MqttException.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> !c.isConnected());
        assertThat(refused("mqtt")).isEqualTo(1);
        c.close(true);
    }

    @Test
    void httpGets503WithRetryAfterThen202() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.ingest.httpPort() + "/api/v1/readings"))
                .header("Authorization", "Bearer " + CO_SECRET).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"deviceId\": \"co-01\", \"readings\": [{\"value\": 7}, {\"value\": 8}]}"))
                .build();
        diskFull(true);
        HttpResponse<String> r = http.send(post, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(r.body()).contains("disk-full", "disk almost full");
        assertThat(refused("http")).isEqualTo(1);
        diskFull(false);
        assertThat(http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(202);
        assertThat(journal.lastSequence()).isEqualTo(2);
    }

    @Test
    void hj212GetsNo9014ButKeepsItsConnectionAndTheResentFrameIsAcknowledged() throws Exception {
        DateTimeFormatter local = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneId.of("Asia/Shanghai"));
        Instant t = Instant.now().minusSeconds(60);
        String qn = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneId.of("Asia/Shanghai")).format(t);
        byte[] frame = Hj212FrameEncoder.frame("QN=" + qn + ";ST=22;CN=2011;PW=" + PW + ";MN=" + MN + ";Flag=5;CP=&&DataTime="
                + local.format(t) + ";a21005-Rtd=1.25,a21005-Flag=N;a21026-Rtd=0.40,a21026-Flag=N&&");
        byte[] noReply = Hj212FrameEncoder.frame("QN=" + qn + ";ST=22;CN=2011;PW=" + PW + ";MN=" + MN + ";Flag=4;CP=&&DataTime="
                + local.format(t) + ";a21005-Rtd=1.30,a21005-Flag=N&&");
        try (Socket s = new Socket("127.0.0.1", fx.ingest.hj212Port())) {
            s.setTcpNoDelay(true);
            diskFull(true);
            s.getOutputStream().write(frame);
            assertThat(line(s, 1500)).as("no reply while the disk is full").isNull();
            await().atMost(Duration.ofSeconds(30)).until(() -> refused("hj212") == 2);   // one per sensor of the frame
            // judged all the same; the test's bus subscriber may get them after the refusal is counted
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(fx.readings).hasSize(2));

            diskFull(false);
            // a frame that asks for no reply, refused or not, changes nothing for the next one
            s.getOutputStream().write(noReply);
            s.getOutputStream().write(frame);   // the logger's resend, on the same connection
            assertThat(line(s, 30_000)).as("9014 for the resent frame").contains("CN=9014", "QN=" + qn);
            assertThat(journal.lastSequence()).isEqualTo(3);
        }
    }

    @Test
    void aFrameWithoutReplyRefusedWhileFullDoesNotCostTheNextFrameIts9014() throws Exception {
        DateTimeFormatter local = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneId.of("Asia/Shanghai"));
        Instant t = Instant.now().minusSeconds(60);
        String cp = ";CP=&&DataTime=" + local.format(t) + ";a21005-Rtd=1.25,a21005-Flag=N&&";
        try (Socket s = new Socket("127.0.0.1", fx.ingest.hj212Port())) {
            s.setTcpNoDelay(true);
            diskFull(true);
            s.getOutputStream().write(Hj212FrameEncoder.frame("QN=20240101000000001;ST=22;CN=2011;PW=" + PW + ";MN=" + MN
                    + ";Flag=4" + cp));
            await().atMost(Duration.ofSeconds(30)).until(() -> refused("hj212") == 1);
            diskFull(false);
            s.getOutputStream().write(Hj212FrameEncoder.frame("QN=20240101000000002;ST=22;CN=2011;PW=" + PW + ";MN=" + MN
                    + ";Flag=5" + cp));
            assertThat(line(s, 30_000)).contains("CN=9014", "QN=20240101000000002");
        }
    }

    private static String line(Socket s, int timeoutMillis) throws IOException {
        s.setSoTimeout(timeoutMillis);
        InputStream in = s.getInputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            int prev = -1;
            int c;
            while ((c = in.read()) >= 0) {
                b.write(c);
                if (prev == '\r' && c == '\n') {
                    return b.toString(StandardCharsets.UTF_8);
                }
                prev = c;
            }
            throw new IOException("connection closed");
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    /** A bare MQTT 5 client: CONNECT, then QoS 1 PUBLISHes, each answered by a PUBACK whose reason code it returns. */
    private static final class Mqtt5 implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;
        String reasonString;

        Mqtt5(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            ByteArrayOutputStream vh = new ByteArrayOutputStream();
            string(vh, "MQTT");
            vh.write(5);                  // protocol level 5
            vh.write(0xC2);               // user name, password, clean start
            vh.write(0);
            vh.write(60);                 // keep-alive
            vh.write(0);                  // no properties
            string(vh, "df5-" + System.nanoTime());
            string(vh, CH4);
            string(vh, CH4_SECRET);
            packet(0x10, vh.toByteArray());
            int type = in.readUnsignedByte();
            byte[] connack = in.readNBytes(length());
            if (type != 0x20 || connack[1] != 0) {
                throw new IOException("not connected: type " + type + ", reason " + connack[1]);
            }
        }

        int publish(int packetId, String json) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            string(b, ReadingTopic.of("coalmine-7", CH4));
            b.write(packetId >> 8);
            b.write(packetId & 0xFF);
            b.write(0);                   // no properties
            b.writeBytes(json.getBytes(StandardCharsets.UTF_8));
            packet(0x32, b.toByteArray()); // PUBLISH, QoS 1
            int type = in.readUnsignedByte();
            byte[] ack = in.readNBytes(length());
            if (type != 0x40 || ((ack[0] & 0xFF) << 8 | ack[1] & 0xFF) != packetId) {
                throw new IOException("expected PUBACK " + packetId + ", got type " + type);
            }
            reasonString = null;
            if (ack.length > 4) {         // reason code, property length, properties
                int at = 4;
                while (at < ack.length) {
                    int id = ack[at++];
                    int len = (ack[at] & 0xFF) << 8 | ack[at + 1] & 0xFF;
                    if (id == 0x1F) {
                        reasonString = new String(ack, at + 2, len, StandardCharsets.UTF_8);
                    }
                    at += 2 + len;
                }
            }
            return ack.length > 2 ? ack[2] & 0xFF : 0;
        }

        private int length() throws IOException {
            int n = 0;
            int shift = 0;
            int b;
            do {
                b = in.readUnsignedByte();
                n |= (b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            return n;
        }

        private void packet(int type, byte[] body) throws IOException {
            out.write(io.safegrid.testing.MqttFrames.packet(type, body));
            out.flush();
        }

        private static void string(ByteArrayOutputStream out, String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write(b.length >> 8);
            out.write(b.length & 0xFF);
            out.writeBytes(b);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

}
