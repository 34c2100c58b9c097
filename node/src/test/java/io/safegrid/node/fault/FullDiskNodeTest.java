package io.safegrid.node.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.safegrid.config.reload.ConfigWatcher;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.node.TestCounty;
import io.safegrid.node.wiring.Metrics;
import io.safegrid.node.wiring.Node;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole node with its data directory on a real small filesystem (a tmpfs) that fills up while
 * methane at the coal mine goes red: real MQTT in, real H2, embedded QuestDB, real HTTP out to a
 * webhook receiver. Then a restart with the alarm open, and normal readings that clear it.
 */
class FullDiskNodeTest {
    private static final String DEVICE = "kc-ch4-t1";
    private static final String SECRET = "demo-kc-ch4-t1-7Qx2";

    /** One webhook call as the receiver got it. */
    record Call(long atNanos, String body) {
    }

    @TempDir
    Path dir;
    private Path mount;
    private Path county;
    private HttpServer receiver;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private ConfigWatcher watcher;
    private Node node;

    @BeforeEach
    void setUp() throws Exception {
        mount = dir.resolve("small");
        Files.createDirectories(mount);
        Assumptions.assumeTrue(System.getProperty("os.name", "").toLowerCase().contains("linux"), "a tmpfs needs Linux");
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1024m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        Assumptions.assumeTrue(p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0,
                "cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): " + out.strip());
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            calls.add(new Call(System.nanoTime(), new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] ok = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, ok.length);
            ex.getResponseBody().write(ok);
            ex.close();
        });
        receiver.start();
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort();
        // everyone on duty gets the webhook; the SMS gateway is the same receiver
        String yaml = TestCounty.yaml(mount.resolve("data"))
                .replace("http://127.0.0.1:9099/safegrid/alarms", hook + "/safegrid/alarms")
                .replace("http://127.0.0.1:9098/sms/send", hook + "/sms/send")
                .replace("contacts: {sms: \"", "contacts: {ops-webhook: \"duty\", sms: \"");
        // QuestDB maps column files in 16 MiB pages by default: about 1 GiB of headroom for three tables,
        // more than this test's disk; smaller pages keep the test's tmpfs small
        Path conf = mount.resolve("data/record/questdb/conf");
        Files.createDirectories(conf);
        Files.writeString(conf.resolve("server.conf"), "cairo.writer.data.append.page.size=1048576\n"
                + "cairo.writer.data.index.value.append.page.size=1048576\n"
                + "cairo.writer.data.index.key.append.page.size=1048576\n");
        county = dir.resolve("county.yaml");
        Files.writeString(county, yaml);
        System.setProperty("safegrid.disk.warn-free-mb", "160");
        System.setProperty("safegrid.disk.refuse-free-mb", "96");
        System.setProperty("safegrid.disk.alarm-reserve-mb", "16");
        startNode();
    }

    private void startNode() throws Exception {
        PrometheusMeterRegistry registry = Metrics.create();
        watcher = new ConfigWatcher(county, registry, new io.safegrid.config.DeploymentLoader(System::getenv),
                Duration.ofMillis(50), Duration.ofMillis(500));
        node = new Node(watcher, null, registry).start();
        watcher.start();
    }

    private void stopNode() {
        if (node != null) {
            node.close();
            node = null;
        }
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        stopNode();
        if (receiver != null) {
            receiver.stop(0);
        }
        System.clearProperty("safegrid.disk.warn-free-mb");
        System.clearProperty("safegrid.disk.refuse-free-mb");
        System.clearProperty("safegrid.disk.alarm-reserve-mb");
        new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(20, TimeUnit.SECONDS);
    }

    private HttpResponse<String> health() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends one QoS 1 reading; whether it was acknowledged. While the disk is full the ingest journal
     * cannot keep it, so it is judged (and may raise an alarm) but not acknowledged: the node closes
     * the connection and a real logger sends it again later.
     */
    private boolean methane(double value) throws Exception {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + node.stages().mqttPort(), DEVICE, new MemoryPersistence());
        try {
            MqttConnectOptions o = new MqttConnectOptions();
            o.setUserName(DEVICE);
            o.setPassword(SECRET.toCharArray());
            c.setTimeToWait(5000);
            c.connect(o);
            c.publish("safegrid/kecheng-coal/" + DEVICE + "/readings",
                    ("{\"value\":" + value + "}").getBytes(StandardCharsets.UTF_8), 1, false);
            c.disconnect();
            return true;
        } catch (org.eclipse.paho.client.mqttv3.MqttException notAcknowledged) {
            return false;
        } finally {
            c.close(true);
        }
    }

    private List<Alarm> methaneAlarms() {
        return node.stages().alarmDesk().list(AlarmQuery.all().page(0, 500)).items().stream()
                .filter(a -> a.sourceId().equals(DEVICE)).toList();
    }

    private long redReadingsRecorded() throws Exception {
        String sql = "select count() from reading where device = '" + DEVICE + "' and value = 1.6";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.stages().record().questDbUrl() + "/exec?query="
                + java.net.URLEncoder.encode(sql, StandardCharsets.UTF_8)))
                .header("Authorization", node.stages().record().questDbAuthorization()).build(), HttpResponse.BodyHandlers.ofString());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"dataset\":\\[\\[(\\d+)").matcher(r.body());
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static void fill(Path file) throws IOException {
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    @Test
    void aRedAlarmOnAFullDiskReachesTheWebhookHealthSaysDownAndAllRecoversWhenSpaceReturns() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> health().statusCode() == 200);
        Path filler = mount.resolve("filler.bin");
        fill(filler);
        // the disk watch gives the alarm store its reserve back; that is filled too
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(mount.resolve("data").resolve("alarm-store.reserve")));
        fill(filler);

        long reading = System.nanoTime();
        boolean acknowledgedOnFullDisk = methane(1.6);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> calls.stream()
                .anyMatch(c -> c.body().contains("\"red\"") && c.body().contains(DEVICE)));
        Call red = calls.stream().filter(c -> c.body().contains("\"red\"") && c.body().contains(DEVICE)).findFirst().orElseThrow();
        assertThat(TimeUnit.NANOSECONDS.toMillis(red.atNanos() - reading)).as("reading to red notification, ms")
                .isLessThan(10_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> health().statusCode() == 503);
        assertThat(health().body()).contains("\"status\":\"DOWN\"", "\"alerting.alarms\":false");
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.stream().anyMatch(c -> c.body().contains("STORAGE_TROUBLE")));
        assertThat(methaneAlarms()).anySatisfy(a -> assertThat(a.level()).isEqualTo(Level.RED));

        Files.delete(filler);
        long back = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).until(() -> health().statusCode() == 200);
        System.out.printf("node healthy again %d ms after space returned%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back));
        assertThat(health().body()).contains("\"alerting.alarms\":true");
        if (!acknowledgedOnFullDisk) {
            // as a logger does with a reading that got no acknowledgement
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> methane(1.6));
        }
        // the record too: the red reading is there (a table QuestDB suspended meanwhile is resumed by the node);
        // once per send that reached the bus, so at least once
        await().atMost(Duration.ofSeconds(60)).until(() -> redReadingsRecorded() >= 1 && health().statusCode() == 200);

        // the red alarm was reconciled into the store: it is there after a restart, and clears on a normal reading
        String id = methaneAlarms().stream().filter(a -> a.level() == Level.RED).findFirst().orElseThrow().id();
        stopNode();
        startNode();
        await().atMost(Duration.ofSeconds(20)).until(() -> health().statusCode() == 200);
        assertThat(node.stages().alarmDesk().get(id)).hasValueSatisfying(a -> {
            assertThat(a.level()).isEqualTo(Level.RED);
            assertThat(a.state()).isEqualTo(AlarmState.RAISED);
        });
        methane(0.3);
        await().atMost(Duration.ofSeconds(10)).until(() -> node.stages().alarmDesk().get(id).orElseThrow().state()
                == AlarmState.CLEARED);
    }
}
