package io.safegrid.console.camera;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.OperatingSystemMXBean;
import io.safegrid.console.ConsoleFixture;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.device.Camera;
import io.safegrid.model.video.VideoFrame;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * What a live-view viewer costs the node: the four demo cameras get a new noisy 640x360 frame 4 times
 * a second (every tick renders and encodes); then 0, 1, 4 and 8 viewers per camera, each a separate
 * {@code curl} process (so their reading is not counted), watch for 20 s while the node's process CPU
 * time is measured. CPU per viewer per camera = (CPU with V viewers − CPU with 1 viewer) / ((V − 1) × cameras);
 * the first viewer's cost is the render (encode once per camera for all viewers). Opt-in:
 * {@code flock /work/wt/bench.lock mvn -B -q -pl console -am verify -Dtest=LiveViewCpuBench -Dsurefire.failIfNoSpecifiedTests=false -Dsafegrid.bench=true}
 */
class LiveViewCpuBench {
    static final List<String> CAMERAS = List.of("cam-kc-pithead", "cam-hd-tankfarm", "cam-pg-crane", "cam-by-store1");
    static final int SECONDS = 20;

    @Test
    void cpuPerViewerPerCamera() throws Exception {
        assumeTrue(Boolean.getBoolean("safegrid.bench"), "benchmark: run with -Dsafegrid.bench=true");
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (ConsoleFixture f = new ConsoleFixture()) {
            String cookie = f.login("wang-fang");
            AtomicBoolean running = new AtomicBoolean(true);
            Thread feeder = new Thread(() -> {
                Random rnd = new Random(1);
                byte[][] pics = new byte[8][640 * 360 * 3];
                for (byte[] p : pics) {
                    rnd.nextBytes(p);
                }
                long seq = 0;
                while (running.get()) {
                    seq++;
                    for (String id : CAMERAS) {
                        Camera c = f.config.current().camera(id).orElseThrow();
                        try {
                            f.bus.publish(Topic.FRAMES, id, new VideoFrame(id, c.site(), Instant.now(), seq, seq / 4.0, 640, 360,
                                    pics[(int) (seq % pics.length)]));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            feeder.start();
            double base = 0;
            double one = 0;
            for (int viewers : new int[] {0, 1, 4, 8}) {
                List<Process> curls = new ArrayList<>();
                for (String id : CAMERAS) {
                    for (int v = 0; v < viewers; v++) {
                        curls.add(new ProcessBuilder("curl", "-s", "-N", "-o", "/dev/null", "-H", "Cookie: " + cookie,
                                f.uri("/api/v1/cameras/" + id + "/live.mjpeg").toString()).start());
                    }
                }
                Thread.sleep(3000);   // streams open, JIT warm
                double sent0 = f.registry.find("safegrid.console.video.frames.sent").counter().count();
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                Thread.sleep(SECONDS * 1000L);
                double cpu = (os.getProcessCpuTime() - cpu0) / ((System.nanoTime() - t0) / 1e9) / 1e9;   // cores
                double sent = f.registry.find("safegrid.console.video.frames.sent").counter().count() - sent0;
                curls.forEach(Process::destroy);
                for (Process p : curls) {
                    p.waitFor();
                }
                if (viewers == 0) {
                    base = cpu;
                }
                if (viewers == 1) {
                    one = cpu;
                }
                System.out.printf(Locale.ROOT, "LIVE VIEW CPU: %d cameras x %d viewers: %.1f %% of a core (frames sent %.0f/s)%s%s%n",
                        CAMERAS.size(), viewers, cpu * 100, sent / SECONDS,
                        viewers == 1 ? String.format(Locale.ROOT, "; render+encode per camera %.2f %% of a core", (cpu - base) * 100 / CAMERAS.size()) : "",
                        viewers > 1 ? String.format(Locale.ROOT, "; per extra viewer per camera %.3f %% of a core",
                                (cpu - one) * 100 / ((viewers - 1) * CAMERAS.size())) : "");
                Thread.sleep(1000);
            }
            running.set(false);
            feeder.join();
        }
    }
}
