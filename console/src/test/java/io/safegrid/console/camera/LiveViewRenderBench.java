package io.safegrid.console.camera;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.safegrid.config.demo.DemoCounty;
import io.safegrid.model.Level;
import io.safegrid.model.device.Camera;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.video.VideoFrame;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What one live-view picture costs: overlay (2 zones, 1 detection, caption) and JPEG encoding of a
 * noisy 640x360 frame, 1000 times after 100 warm-up. Opt-in:
 * {@code mvn -B -q -pl console -am verify -Dtest=LiveViewRenderBench -Dsurefire.failIfNoSpecifiedTests=false -Dsafegrid.bench=true}
 */
class LiveViewRenderBench {
    @Test
    void renderTime() {
        assumeTrue(Boolean.getBoolean("safegrid.bench"), "benchmark: run with -Dsafegrid.bench=true");
        Camera cam = DemoCounty.load(k -> null).camera("cam-kc-pithead").orElseThrow();
        byte[] bgr = new byte[640 * 360 * 3];
        new Random(1).nextBytes(bgr);
        VideoFrame f = new VideoFrame(cam.id(), cam.site(), Instant.now(), 1, 0.2, 640, 360, bgr);
        List<Finding> dets = List.of(new Finding("f", FindingKind.INTRUSION, Level.ORANGE, Condition.ACTIVE, cam.id(), cam.site(),
                "video-intrusion", "shaft-mouth", 1, 0, Instant.now(), "x", null, Map.of("box", "300,180,60,100", "resolution", "640x360")));
        long[] ns = new long[1000];
        int bytes = 0;
        for (int i = -100; i < ns.length; i++) {
            long t0 = System.nanoTime();
            bytes = LivePicture.render(f, cam, dets, "cam-kc-pithead 2026-11-29 12:00:00").length;
            if (i >= 0) {
                ns[i] = System.nanoTime() - t0;
            }
        }
        Arrays.sort(ns);
        System.out.printf(Locale.ROOT, "LIVE VIEW RENDER: 640x360 noisy frame, %d KiB JPEG: mean %.2f ms, p50 %.2f ms, p99 %.2f ms%n",
                bytes / 1024, Arrays.stream(ns).average().orElse(0) / 1e6, ns[ns.length / 2] / 1e6, ns[(int) (ns.length * 0.99)] / 1e6);
    }
}
