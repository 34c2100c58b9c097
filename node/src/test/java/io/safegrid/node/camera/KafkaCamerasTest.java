package io.safegrid.node.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.bus.kafka.KafkaBus;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeploymentLoader;
import io.safegrid.ingest.gb28181.sim.SimulatedDevice;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import io.safegrid.node.KafkaBroker;
import io.safegrid.node.TestCounty;
import io.safegrid.node.simulate.SceneClips;
import io.safegrid.node.simulate.SceneScript;
import io.safegrid.node.wiring.Metrics;
import io.safegrid.node.wiring.Node;
import io.safegrid.testing.ConsoleLogins;
import java.io.File;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A county on Kafka gets the camera findings it gets on the in-process bus. Two nodes on a real
 * broker: the edge node (ingest and analytics) takes the pictures, decodes and analyses them (frames
 * stay beside their analysis, and its console shows them live), the desk node (alerting) raises the
 * alarm from the finding it reads from the broker, evidence picture included. A snapshot camera uploads
 * JPEGs over HTTP; a GB/T 28181 NVR (the simulator) registers and its channel's PS stream is played into
 * the camera intake. An ingest node without analytics takes neither, and says so.
 */
class KafkaCamerasTest {
    private static final String SNAP = "cam-snap-yard";
    private static final String TOKEN = "snap-token-1234";
    private static final String GB_CAMERA = "cam-gb-yard";
    private static final String NVR = "14103300001180000001";
    private static final String CHANNEL = "14103300001310000001";
    private static final String GATE = "{name: gate, purpose: restricted, object: motion,"
            + " polygon: [[0.6, 0.45], [0.97, 0.45], [0.97, 0.98], [0.6, 0.98]]}";

    // the demo's cameras give way to a snapshot camera and the push camera a GB channel is played into,
    // each with the zone the figure walks into
    private static final String CAMERAS = "cameras:\n"
            + "  - id: " + SNAP + "\n    name: 王家庄煤业料场(抓拍)\n    site: puxian/kecheng/wangjiazhuang/wjz-coal\n"
            + "    secret: " + TOKEN + "\n    source: {mode: snapshot, interval: 5s}\n"
            + "    analysis: {fps: 5, width: 320, height: 180, analyzers: [intrusion]}\n    zones:\n      - " + GATE + "\n"
            + "  - id: " + GB_CAMERA + "\n    name: 王家庄煤业主井口\n    site: puxian/kecheng/wangjiazhuang/wjz-coal\n"
            + "    secret: demo-cam-gb-yard-4Kp2\n    source: {mode: push}\n"
            + "    analysis: {fps: 5, width: 320, height: 180, analyzers: [intrusion]}\n    zones:\n      - " + GATE + "\n";

    @RegisterExtension
    static final KafkaBroker broker = new KafkaBroker();
    private static Path dir;
    private static Node edge;
    private static Node desk;
    /** What the desk node reads from the broker's findings topic, in a consumer group of the test's own. */
    private static final List<Finding> findings = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void twoNodesOnTheBroker() throws Exception {
        dir = Files.createTempDirectory("kafka-cameras");
        edge = node("edge", Set.of("ingest", "analytics", "console"));
        desk = node("desk", Set.of("alerting"));
        assertThat(edge.bus()).isInstanceOf(KafkaBus.class);
        desk.bus().subscribe(Topic.FINDINGS, "kafka-cameras-test", (k, f) -> findings.add(f));
    }

    private static Node node(String id, Set<String> roles) throws Exception {
        // the figure is found by motion in the zone: the HOG detector (no model to load) keeps the start short
        String yaml = TestCounty.yaml(Files.createDirectories(dir.resolve(id)))
                .replace("id: puxian-1", "id: " + id)
                .replaceFirst("(?ms)^cameras:\n.*?(?=^# Sensor rules)", CAMERAS + "video: {detector: hog}\n\n")
                .replace("{id: \"" + CHANNEL + "\", name: 王家庄煤业主井口}", "{id: \"" + CHANNEL + "\", name: 王家庄煤业主井口, camera: " + GB_CAMERA + "}")
                + broker.busSection("cameras.", 2);
        Deployment d = new DeploymentLoader(k -> null).read("county.yaml", yaml, null);
        return new Node(ConfigSource.of(d), roles, Metrics.create()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        for (Node n : new Node[] {edge, desk}) {
            if (n != null) {
                n.close();
            }
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @Test
    void uploadedSnapshotsOfAFigureWalkingIntoTheZoneRaiseAnIntrusionAlarmOnTheDeskNode() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI upload = URI.create("http://127.0.0.1:" + edge.stages().ingestHttpPort() + "/cameras/" + SNAP + "/snapshots");
        try (Mat ground = SnapshotIntrusionTest.ground()) {
            // 15 empty pictures to learn the ground, then the figure walks from the left into the zone, where it stays;
            // the camera goes on uploading (as a real one does, so it is not lost) until the desk has the alarm
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (int i = 0; !(intrusionOf(SNAP) && onDesk(SNAP, FindingKind.INTRUSION)) && System.nanoTime() < until; i++) {
                int x = i < 15 ? -1 : Math.min(80 + (i - 15) * 30, 500);
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(upload).header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(
                                SnapshotIntrusionTest.picture(ground, x))).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                Thread.sleep(200);
            }
        }
        assertThat(intrusionOf(SNAP)).as("an intrusion finding within 60 s").isTrue();
        Finding intrusion = findings.stream().filter(f -> f.sourceId().equals(SNAP) && f.kind() == FindingKind.INTRUSION)
                .findFirst().orElseThrow();
        assertThat(intrusion.zone()).isEqualTo("gate");
        assertThat(intrusion.site()).isEqualTo(GridPath.parse("puxian/kecheng/wangjiazhuang/wjz-coal"));
        assertThat(intrusion.snapshot()).as("the evidence picture crossed the broker").isNotNull().hasSizeGreaterThan(2000);
        awaitAlarmOnDesk(SNAP);
    }

    @Test
    void aGbChannelsPersonInTheZoneRaisesAnIntrusionAlarmOnTheDeskNodeAndIsLiveOnTheEdgeConsole() throws Exception {
        Assumptions.assumeTrue(new File("/usr/bin/ffmpeg").canExecute(), "ffmpeg is not installed; skipping");
        // quiet while the analyzers learn the scene, then a person walks into the zone (as on the in-process bus)
        Path clip = SceneClips.write(dir.resolve("yard.ts"), new SceneScript(6, 20, -1, -1, -1, -1, 30), 30, 10);
        try (SimulatedDevice nvr = new SimulatedDevice(NVR, "demo-gb-nvr-5Ub8", "14103300002000000001", "127.0.0.1",
                edge.stages().gb28181Port(), "TCP", List.of(new SimulatedDevice.Channel(CHANNEL, "王家庄煤业主井口")),
                Charset.forName("GB2312"))) {
            nvr.clip(clip.toString());
            assertThat(nvr.register(Duration.ofHours(1))).isEqualTo(200);
            nvr.startKeepalives(Duration.ofSeconds(20));
            // FFmpeg plays the clip (looped) in real time on a shared machine
            await().atMost(Duration.ofSeconds(90)).until(() -> intrusionOf(GB_CAMERA));
            assertThat(firstLivePicture(GB_CAMERA)).as("the edge console's live view of the channel").startsWith(0xFF, 0xD8);
            Finding intrusion = findings.stream().filter(f -> f.sourceId().equals(GB_CAMERA) && f.kind() == FindingKind.INTRUSION)
                    .findFirst().orElseThrow();
            assertThat(intrusion.zone()).isEqualTo("gate");
            assertThat(intrusion.snapshot()).as("the evidence picture crossed the broker").isNotNull().hasSizeGreaterThan(2000);
            awaitAlarmOnDesk(GB_CAMERA);   // while the channel still plays: once it stops, its loss is an alarm
        }
    }

    @Test
    void anIngestNodeWithoutAnalyticsSaysItTakesNeitherSnapshotsNorBoundChannels() throws Exception {
        try (Node ingest = node("ingest-only", Set.of("ingest"))) {
            assertThat(ingest.health().notes().get("ingest.cameras"))
                    .contains("1 snapshot camera(s) and 1 GB/T 28181 channel(s)", "without analytics");
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + ingest.stages().ingestHttpPort() + "/cameras/" + SNAP + "/snapshots"))
                    .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "image/jpeg")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xFF, (byte) 0xD8})).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(404);
        }
        assertThat(edge.health().notes()).doesNotContainKey("ingest.cameras");
    }

    /** The first JPEG of the edge console's MJPEG live view of {@code camera}, as an operator's browser gets it. */
    private static byte[] firstLivePicture(String camera) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + edge.httpPort();
        ConsoleLogins logins = new ConsoleLogins((path, json) -> http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Origin", base).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString()),
                Map.of("wang-fang", "Demo-County-2026"));
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/cameras/" + camera + "/live.mjpeg"))
                .header("Cookie", logins.cookie("wang-fang")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        try (InputStream in = r.body()) {
            // the part's headers, then the picture up to the blank line: enough to see where the JPEG starts
            byte[] head = CompletableFuture.supplyAsync(() -> {
                try {
                    return in.readNBytes(4096);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(30, TimeUnit.SECONDS);
            String text = new String(head, StandardCharsets.ISO_8859_1);
            int start = text.indexOf("\r\n\r\n", text.indexOf("image/jpeg"));
            assertThat(start).as(text).isPositive();
            return Arrays.copyOfRange(head, start + 4, head.length);
        }
    }

    private static boolean intrusionOf(String camera) {
        return findings.stream().anyMatch(f -> f.sourceId().equals(camera) && f.kind() == FindingKind.INTRUSION
                && f.condition() == Condition.ACTIVE);
    }

    private static boolean onDesk(String camera, FindingKind kind) {
        return desk.stages().alarmDesk().list(AlarmQuery.all().page(0, 500)).items().stream()
                .anyMatch(a -> a.sourceId().equals(camera) && a.kind() == kind);
    }

    private static void awaitAlarmOnDesk(String camera) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(desk.stages().alarmDesk()
                .list(AlarmQuery.all().page(0, 500)).items()).extracting(Alarm::sourceId, Alarm::kind)
                .contains(org.assertj.core.groups.Tuple.tuple(camera, FindingKind.INTRUSION))
                .as("as on the in-process bus, the camera was not lost")
                .doesNotContain(org.assertj.core.groups.Tuple.tuple(camera, FindingKind.VIDEO_LOSS)));
    }
}
