package io.safegrid.console.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.console.ConsoleFixture;
import io.safegrid.model.Level;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.device.Camera;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.video.VideoFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The MJPEG live view over a real console: real HTTP client, multipart parts decoded with OpenCV. */
class LiveViewTest {
    static final String PITHEAD = "cam-kc-pithead";       // 克城 township, zone shaft-mouth (restricted)
    static final String TANK_FARM = "cam-hd-tankfarm";   // 蒲城 township
    static final int W = 640;
    static final int H = 360;

    ConsoleFixture f;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        f = new ConsoleFixture();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    /** A uniform grey 640x360 frame, as ingest would publish it. */
    VideoFrame grey(String camera, long seq) {
        Camera c = f.config.current().camera(camera).orElseThrow();
        byte[] bgr = new byte[W * H * 3];
        Arrays.fill(bgr, (byte) 100);
        return new VideoFrame(camera, c.site(), f.clock.instant(), seq, seq / 5.0, W, H, bgr);
    }

    @Test
    void aStreamFrameInI420IsShownInItsOwnColours() {
        Camera c = f.config.current().camera(PITHEAD).orElseThrow();
        byte[] yuv = new byte[W * H * 3 / 2];
        try (Mat bgr = new Mat(H, W, opencv_core.CV_8UC3, new Scalar(40, 120, 200, 0));
             Mat i420 = new Mat()) {
            opencv_imgproc.cvtColor(bgr, i420, opencv_imgproc.COLOR_BGR2YUV_I420);
            i420.data().get(yuv);
        }
        VideoFrame frame = new VideoFrame(PITHEAD, c.site(), f.clock.instant(), 1, 0.2, W, H, VideoFrame.Format.I420, yuv);
        byte[] jpeg = LivePicture.render(frame, c, List.of(), "I420");
        assertNear(pixel(jpeg, 5, 5), 40, 120, 200);
        assertNear(pixel(jpeg, W / 2, H / 3), 40, 120, 200);
    }

    @Test
    void nativeStreamFramesAreShownInPlaceAndFreedWhenReplacedAndWhenTheViewerLeaves() throws Exception {
        Camera c = f.config.current().camera(PITHEAD).orElseThrow();
        long before = io.safegrid.picture.NativePixels.live();
        long misuses = io.safegrid.picture.NativePixels.misuses();
        HttpResponse<InputStream> r = open("zheng-ming", PITHEAD);
        try (InputStream in = r.body()) {
            part(in);   // the placeholder: watching now
            for (int level = 60; level <= 200; level += 70) {
                // as the intake makes it: decoded once into native memory, the bus holding it for each reader
                io.safegrid.picture.NativePixels px = io.safegrid.picture.NativePixels.allocate(W * H * 3 / 2);
                for (int i = 0; i < W * H * 3 / 2; i++) {
                    px.buffer().put(i, (byte) (i < W * H ? level : 128));
                }
                VideoFrame frame = new VideoFrame(PITHEAD, c.site(), f.clock.instant(), level, level / 5.0, W, H,
                        VideoFrame.Format.I420, px);
                f.bus.publish(Topic.FRAMES, PITHEAD, frame);
                frame.release();
                int want = (int) Math.round((level - 16) * 255 / 219.0);
                boolean shown = false;
                for (int i = 0; i < 10 && !shown; i++) {
                    shown = Math.abs(pixel(part(in), 100, 100)[1] - want) < 8;
                }
                assertThat(shown).as("the frame at level %d shown", level).isTrue();
                assertThat(io.safegrid.picture.NativePixels.live()).as("only the latest kept, the one before freed")
                        .isEqualTo(before + 1);
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> f.registry.find("safegrid.console.video.viewers").gauge().value() == 0);
        assertThat(io.safegrid.picture.NativePixels.live()).as("nobody watches: not kept").isEqualTo(before);
        assertThat(io.safegrid.picture.NativePixels.misuses()).isEqualTo(misuses);
    }

    HttpResponse<InputStream> open(String user, String camera) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(f.uri("/api/v1/cameras/" + camera + "/live.mjpeg"))
                .timeout(Duration.ofSeconds(10)).GET();
        if (user != null) {
            b.header("Cookie", f.login(user));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** Reads one multipart part and returns its body; checks the boundary and headers on the way. */
    static byte[] part(InputStream in) throws IOException {
        String line;
        do {
            line = line(in);
        } while (line.isEmpty());
        assertThat(line).isEqualTo("--" + LiveView.BOUNDARY);
        int length = -1;
        String type = null;
        while (!(line = line(in)).isEmpty()) {
            String[] kv = line.split(":", 2);
            if (kv[0].equalsIgnoreCase("Content-Length")) {
                length = Integer.parseInt(kv[1].strip());
            } else if (kv[0].equalsIgnoreCase("Content-Type")) {
                type = kv[1].strip();
            }
        }
        assertThat(type).isEqualTo("image/jpeg");
        assertThat(length).isPositive();
        return in.readNBytes(length);
    }

    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("stream ended");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    /** The BGR pixel at (x, y) of a JPEG. */
    static int[] pixel(byte[] jpeg, int x, int y) {
        try (BytePointer p = new BytePointer(jpeg);
             Mat buf = new Mat(1, jpeg.length, opencv_core.CV_8UC1, p);
             Mat img = opencv_imgcodecs.imdecode(buf, opencv_imgcodecs.IMREAD_COLOR)) {
            assertThat(img.empty()).as("decodable JPEG").isFalse();
            assertThat(img.cols()).isEqualTo(W);
            assertThat(img.rows()).isEqualTo(H);
            var idx = img.createIndexer();
            try (org.bytedeco.javacpp.indexer.UByteIndexer u = (org.bytedeco.javacpp.indexer.UByteIndexer) idx) {
                return new int[] {u.get(y, x, 0), u.get(y, x, 1), u.get(y, x, 2)};
            }
        }
    }

    static void assertNear(int[] bgr, int b, int g, int r) {
        assertThat(Math.abs(bgr[0] - b)).as("blue of %s", Arrays.toString(bgr)).isLessThan(50);
        assertThat(Math.abs(bgr[1] - g)).as("green of %s", Arrays.toString(bgr)).isLessThan(50);
        assertThat(Math.abs(bgr[2] - r)).as("red of %s", Arrays.toString(bgr)).isLessThan(50);
    }

    @Test
    void liveViewIsMjpegWithTheZoneAndTheDetectionDrawnOnTheLatestFrame() throws Exception {
        HttpResponse<InputStream> r = open("zheng-ming", PITHEAD);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse(""))
                .isEqualTo("multipart/x-mixed-replace; boundary=" + LiveView.BOUNDARY);
        try (InputStream in = r.body()) {
            // before any frame: a placeholder picture at the camera's size, zones already drawn
            byte[] first = part(in);
            assertThat(first[0] & 0xff).isEqualTo(0xFF);
            assertThat(first[1] & 0xff).isEqualTo(0xD8);
            pixel(first, 10, 10);

            f.bus.publish(Topic.FRAMES, PITHEAD, grey(PITHEAD, 1));
            Finding intrusion = new Finding("f-1", FindingKind.INTRUSION, Level.ORANGE, Condition.ACTIVE, PITHEAD,
                    f.config.current().camera(PITHEAD).orElseThrow().site(), "video-intrusion", "shaft-mouth", 1, 0,
                    f.clock.instant(), "someone at the shaft mouth", null,
                    Map.of("box", "300,180,60,100", "resolution", "640x360"));
            f.bus.publish(Topic.FINDINGS, PITHEAD, intrusion);

            // parts until one shows the frame with the detection (the first may predate the finding)
            byte[] jpeg = null;
            for (int i = 0; i < 10 && jpeg == null; i++) {
                byte[] p = part(in);
                int[] box = pixel(p, 300, 230);   // left edge of the detection box
                if (box[2] > 180 && box[0] < 90) {
                    jpeg = p;
                }
            }
            assertThat(jpeg).as("a part with the detection box").isNotNull();
            // the restricted zone shaft-mouth (x 0.35..0.65, y 0.40..0.85) in yellow, the ground grey
            int left = (int) Math.round(0.35 * (W - 1));
            assertNear(pixel(jpeg, left, 225), 0, 255, 255);
            assertNear(pixel(jpeg, 100, 100), 100, 100, 100);
            assertNear(pixel(jpeg, 300, 230), 0, 0, 255);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> f.registry.find("safegrid.console.video.viewers").gauge().value() == 0);
    }

    @Test
    void anotherTownshipsCameraIsNotFoundAndNoSessionIsUnauthorised() throws Exception {
        HttpResponse<String> r = f.get("zheng-ming", "/api/v1/cameras/" + TANK_FARM + "/live.mjpeg");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("no such camera in your scope");
        // the enterprise operator of the coal mine sees its own camera only
        assertThat(f.get("zhang-hui", "/api/v1/cameras/" + TANK_FARM + "/live.mjpeg").statusCode()).isEqualTo(404);
        assertThat(f.get(null, "/api/v1/cameras/" + PITHEAD + "/live.mjpeg").statusCode()).isEqualTo(401);
        assertThat(f.get("zheng-ming", "/api/v1/cameras/no-such-cam/live.mjpeg").statusCode()).isEqualTo(404);

        // the county operator may open both
        HttpResponse<InputStream> ok = open("wang-fang", TANK_FARM);
        assertThat(ok.statusCode()).isEqualTo(200);
        try (InputStream in = ok.body()) {
            assertThat(part(in).length).isGreaterThan(1000);
        }
        assertThat(f.registry.find("safegrid.console.video.refused").counter().count()).isEqualTo(4);
    }

    @Test
    void theStreamEndsWhenTheViewerLogsOut() throws Exception {
        String cookie = f.login("zhang-hui");
        HttpResponse<InputStream> r = open("zhang-hui", PITHEAD);
        assertThat(r.statusCode()).isEqualTo(200);
        try (InputStream in = r.body()) {
            part(in);
            assertThat(f.postWithCookie(cookie, "/api/v1/logout", "{}").statusCode()).isLessThan(300);
            f.forget("zhang-hui");
            // frames keep coming on the bus, but the stream closes
            f.bus.publish(Topic.FRAMES, PITHEAD, grey(PITHEAD, 2));
            long t0 = System.nanoTime();
            assertThat(drainUntilEnd(in)).isTrue();
            // the next round of the ticker closes it; 10 s is far above a round even on a busy machine
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(10);
        }
    }

    static boolean drainUntilEnd(InputStream in) {
        try {
            byte[] buf = new byte[8192];
            while (in.read(buf) >= 0) {
                // drain
            }
            return true;
        } catch (IOException e) {
            return true;   // closed by the server
        }
    }
}
