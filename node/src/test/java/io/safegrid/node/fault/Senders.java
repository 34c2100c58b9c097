package io.safegrid.node.fault;

import io.safegrid.ingest.hj212.Hj212FrameEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** The three sensor protocols as numbered senders. */
final class Senders {
    private Senders() {
    }

    /** MQTT 3.1.1, QoS 1: {@code publish} returns on PUBACK. */
    static final class Mqtt extends NumberedSender {
        private final int port;
        private final String secret;
        private final String topic;
        private final long base;
        private MqttClient client;

        Mqtt(int port, String device, String secret, String enterprise, long base) {
            super(device);
            this.port = port;
            this.secret = secret;
            this.topic = "safegrid/" + enterprise + "/" + device + "/readings";
            this.base = base;
        }

        @Override
        long timeOf(int n) { return base + n; }

        @Override
        void open() throws Exception {
            client = new MqttClient("tcp://127.0.0.1:" + port, device + "-" + System.nanoTime(), new MemoryPersistence());
            client.setTimeToWait(30_000);   // a node just restarted on a loaded machine answers slowly; a kill fails at once
            MqttConnectOptions o = new MqttConnectOptions();
            o.setUserName(device);
            o.setPassword(secret.toCharArray());
            o.setAutomaticReconnect(false);
            o.setConnectionTimeout(30);
            client.connect(o);
        }

        @Override
        boolean send(int n) throws Exception {
            client.publish(topic, ("{\"value\":0.1,\"ts\":" + timeOf(n) + "}").getBytes(StandardCharsets.UTF_8), 1, false);
            return true;
        }

        @Override
        void closeQuietly() {
            try {
                if (client.isConnected()) {
                    client.disconnect(500);
                }
                client.close(true);
            } catch (Exception ignored) {
                // gone with the node
            }
        }
    }

    /** HJ 212 real-time data (CN 2011) asking for a reply: acknowledged by its 9014. One frame per second of DataTime. */
    static final class Hj212 extends NumberedSender {
        private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
        private static final DateTimeFormatter QN = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZONE);
        private static final DateTimeFormatter DATA_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZONE);
        private final int port;
        private final String mn;
        private final String pw;
        private final String factor;
        private final long base;
        private Socket socket;
        private InputStream in;

        Hj212(int port, String device, String mn, String pw, String factor, long baseSeconds) {
            super(device);
            this.port = port;
            this.mn = mn;
            this.pw = pw;
            this.factor = factor;
            this.base = baseSeconds * 1000;
        }

        @Override
        long timeOf(int n) { return base + n * 1000L; }

        @Override
        void open() throws IOException {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            in = socket.getInputStream();
        }

        @Override
        boolean send(int n) throws IOException {
            Instant t = Instant.ofEpochMilli(timeOf(n));
            String data = "QN=" + QN.format(t) + ";ST=39;CN=2011;PW=" + pw + ";MN=" + mn + ";Flag=5;CP=&&DataTime="
                    + DATA_TIME.format(t) + ";" + factor + "-Rtd=0.1," + factor + "-Flag=N&&";
            socket.getOutputStream().write(Hj212FrameEncoder.frame(data));
            String reply = readLine();
            if (!reply.contains("QN=" + QN.format(t))) {
                throw new IOException("reply to another frame: " + reply);
            }
            return reply.contains("CN=9014");
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int prev = -1;
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                b.write(c);
                if (prev == '\r' && c == '\n') {
                    return b.toString(StandardCharsets.UTF_8);
                }
                prev = c;
            }
        }

        @Override
        void closeQuietly() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // gone with the node
            }
        }
    }

    /** HTTP/JSON: acknowledged by its 202. */
    static final class Http extends NumberedSender {
        private final int port;
        private final String secret;
        private final long base;
        private HttpClient http;

        Http(int port, String device, String secret, long base) {
            super(device);
            this.port = port;
            this.secret = secret;
            this.base = base;
        }

        @Override
        long timeOf(int n) { return base + n; }

        @Override
        void open() {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).version(HttpClient.Version.HTTP_1_1).build();
        }

        @Override
        boolean send(int n) throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/readings"))
                    .header("Authorization", "Bearer " + secret).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"deviceId\":\"" + device + "\",\"value\":0.1,\"ts\":" + timeOf(n) + "}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 202;
        }

        @Override
        void closeQuietly() {
            http = null;   // its connections close with the node
        }
    }
}
