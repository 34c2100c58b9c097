package io.safegrid.console.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.config.ConsoleConfig;
import io.safegrid.console.ConsoleFixture;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.device.Camera;
import io.safegrid.model.video.VideoFrame;
import io.safegrid.testing.Deployments;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The video wall's one WebSocket over a real console: tagged JPEGs per camera, scope, and the viewer cap. */
class WallStreamTest {
    ConsoleFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new ConsoleFixture();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    /** Collects the wall's messages: camera id → JPEGs received, and any text. */
    static final class Wall implements WebSocket.Listener {
        final ConcurrentHashMap<String, List<byte[]>> pictures = new ConcurrentHashMap<>();
        final List<String> texts = new CopyOnWriteArrayList<>();
        final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        volatile Integer closedWith;

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            partial.writeBytes(b);
            if (last) {
                byte[] m = partial.toByteArray();
                partial.reset();
                int n = m[0] & 0xff;
                String id = new String(m, 1, n, StandardCharsets.UTF_8);
                pictures.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(Arrays.copyOfRange(m, 1 + n, m.length));
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            texts.add(data.toString());
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            closedWith = status;
            return null;
        }
    }

    WebSocket connect(String user, Wall w) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder().header("Cookie", f.login(user))
                .buildAsync(URI.create("ws://127.0.0.1:" + f.console.port() + "/api/v1/live/wall"), w).get(10, TimeUnit.SECONDS);
    }

    void frame(String camera, long seq) throws Exception {
        Camera c = f.config.current().camera(camera).orElseThrow();
        byte[] bgr = new byte[640 * 360 * 3];
        Arrays.fill(bgr, (byte) (seq * 40));
        f.bus.publish(Topic.FRAMES, camera, new VideoFrame(camera, c.site(), f.clock.instant(), seq, seq / 5.0, 640, 360, bgr));
    }

    @Test
    void oneSocketCarriesEveryWatchedCameraTaggedAndLeavesOutCamerasOutsideTheScope() throws Exception {
        Wall w = new Wall();
        WebSocket ws = connect("wang-fang", w);    // the county: every camera
        ws.sendText("{\"watch\":[\"cam-hd-tankfarm\",\"cam-pg-crane\"]}", true).get(30, TimeUnit.SECONDS);
        Wall township = new Wall();                 // 克城 township: the pithead, not the tank farm
        connect("zheng-ming", township).sendText("{\"watch\":[\"cam-hd-tankfarm\",\"cam-kc-pithead\"]}", true)
                .get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> f.registry.get("safegrid.console.video.streams").gauge().value() == 3.0);
        assertThat(f.registry.get("safegrid.console.video.viewers").gauge().value()).isEqualTo(2.0);
        // the cameras send 4 pictures a second, as live ones do, until both walls have had two of each
        var cameras = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        long[] seq = {0};
        cameras.scheduleAtFixedRate(() -> {
            seq[0]++;
            for (String c : List.of("cam-hd-tankfarm", "cam-pg-crane", "cam-kc-pithead")) {
                try {
                    frame(c, seq[0]);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }, 0, 250, TimeUnit.MILLISECONDS);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> w.pictures.getOrDefault("cam-pg-crane", List.of()).size() >= 2
                    && w.pictures.getOrDefault("cam-hd-tankfarm", List.of()).size() >= 2
                    && township.pictures.getOrDefault("cam-kc-pithead", List.of()).size() >= 2);
        } finally {
            cameras.shutdownNow();
        }
        assertThat(w.pictures.keySet()).isEqualTo(Set.of("cam-hd-tankfarm", "cam-pg-crane"));
        assertThat(township.pictures.keySet()).isEqualTo(Set.of("cam-kc-pithead"));
        byte[] jpeg = w.pictures.get("cam-pg-crane").get(0);
        assertThat(jpeg[0] & 0xff).isEqualTo(0xff);   // a JPEG's start-of-image marker
        assertThat(jpeg[1] & 0xff).isEqualTo(0xd8);

        // fewer tiles: the crane is no longer sent
        ws.sendText("{\"watch\":[\"cam-hd-tankfarm\"]}", true).get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> f.registry.get("safegrid.console.video.streams").gauge().value() == 2.0);
        // one socket keeps its order: once a tank-farm picture sent after the change is in, every crane picture
        // that was already on its way is in too
        int tanks = w.pictures.get("cam-hd-tankfarm").size();
        frame("cam-hd-tankfarm", 999);
        await().atMost(Duration.ofSeconds(30)).until(() -> w.pictures.get("cam-hd-tankfarm").size() > tanks);
        int crane = w.pictures.get("cam-pg-crane").size();
        int tanksNow = w.pictures.get("cam-hd-tankfarm").size();
        frame("cam-pg-crane", 1000);
        frame("cam-hd-tankfarm", 1000);
        await().atMost(Duration.ofSeconds(30)).until(() -> w.pictures.get("cam-hd-tankfarm").size() > tanksNow);
        Thread.sleep(600);
        assertThat(w.pictures.get("cam-pg-crane")).hasSize(crane);
        ws.sendClose(1000, "bye").get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> f.registry.get("safegrid.console.video.viewers").gauge().value() == 1.0);
    }

    @Test
    void aFullNodeSaysSoToTheWallAndAnswers503ToAnotherMjpegViewer() throws Exception {
        f.config.reload(Deployments.from(f.config.current()).console(new ConsoleConfig(null, null, 1)).build());
        Wall first = new Wall();
        WebSocket one = connect("wang-fang", first);
        one.sendText("{\"watch\":[\"cam-kc-pithead\"]}", true).get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> f.registry.get("safegrid.console.video.viewers").gauge().value() == 1.0);

        Wall second = new Wall();
        connect("admin", second);
        await().atMost(Duration.ofSeconds(30)).until(() -> second.closedWith != null);
        assertThat(second.closedWith).isEqualTo(LiveView.TRY_AGAIN_LATER);
        assertThat(second.texts).containsExactly("{\"type\":\"full\",\"max\":1}");

        HttpResponse<String> mjpeg = f.get("admin", "/api/v1/cameras/cam-kc-pithead/live.mjpeg");
        assertThat(mjpeg.statusCode()).isEqualTo(503);
        assertThat(mjpeg.body()).contains("\"key\":\"videoFull\"");
        assertThat(f.registry.get("safegrid.console.video.viewers").gauge().value()).isEqualTo(1.0);

        // the first one leaves: the next wall is served
        one.sendClose(1000, "bye").get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> f.registry.get("safegrid.console.video.viewers").gauge().value() == 0.0);
        Wall third = new Wall();
        connect("admin", third).sendText("{\"watch\":[\"cam-kc-pithead\"]}", true).get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> !third.pictures.isEmpty());   // the waiting picture at least
        assertThat(third.texts).isEmpty();
    }

    @Test
    void anotherPathBelowTheLivePushIsNoStreamEvenWithASession() throws Exception {
        var refused = HttpClient.newHttpClient().newWebSocketBuilder().header("Cookie", f.login("wang-fang"))
                .buildAsync(URI.create("ws://127.0.0.1:" + f.console.port() + "/api/v1/live/other"), new Wall());
        assertThat(refused).failsWithin(Duration.ofSeconds(10));
        assertThat(f.get("wang-fang", "/api/v1/live/other").statusCode()).isEqualTo(404);
    }

    @Test
    void noSessionNoWall() {
        var refused = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + f.console.port() + "/api/v1/live/wall"), new Wall());
        assertThat(refused).failsWithin(Duration.ofSeconds(10));
        assertThat(f.registry.get("safegrid.console.video.viewers").gauge().value()).isEqualTo(0.0);
    }
}
