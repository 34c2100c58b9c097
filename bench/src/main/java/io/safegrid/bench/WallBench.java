package io.safegrid.bench;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.safegrid.analytics.video.VideoAnalytics;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.NodeSettings;
import io.safegrid.config.demo.DemoCounty;
import io.safegrid.console.Console;
import io.safegrid.console.health.Health;
import io.safegrid.ingest.camera.CameraIntake;
import io.safegrid.model.device.AnalysisSettings;
import io.safegrid.model.device.Camera;
import io.safegrid.model.device.CameraSource;
import io.safegrid.model.grid.GridPath;
import io.safegrid.testing.Deployments;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * What a video wall costs a node that analyses its cameras: N cameras replay the bench clip at 25 fps
 * through the real intake and analysis (5 fps each), and a real console on the same bus serves 0, 1 and
 * 2 walls of all N tiles over its WebSocket ({@code /api/v1/live/wall}, read by a JDK client as fast as
 * it comes, as a browser's network does; decoding is the browser's, on the operator's PC). Per step it
 * prints analysed fps per camera (mean and worst, against 5), the pictures the walls received, the
 * node's process CPU, and the CPU of the console's video threads (the render/encode ticker and the
 * HTTP event loops, the JDK client's threads left out), from which CPU per viewer per camera.
 *
 * <pre>java -cp … io.safegrid.bench.WallBench [cameras=16] [seconds=20]</pre>
 */
public final class WallBench {
    private static final double WARM_UP_SECONDS = 8;
    private static final GridPath SITE = GridPath.parse("puxian/kecheng/dongyu/kecheng-coal");

    private WallBench() {
    }

    public static void main(String[] args) throws Exception {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        int cameras = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 20;
        Path clip = VideoBench.makeClip();
        System.out.printf(Locale.ROOT, "wall: %d camera(s) replaying %s at 25 fps, analysis 640x360 at 5 fps (%s), "
                        + "walls of %d tiles, %.0f s per step after %.0f s warm-up, %d CPU(s), load average %s%n", cameras, clip,
                String.join(", ", VideoBench.ANALYZERS), cameras, seconds, WARM_UP_SECONDS,
                Runtime.getRuntime().availableProcessors(), PacedVideoBench.loadAverage());
        List<Camera> list = new ArrayList<>();
        for (int i = 0; i < cameras; i++) {
            list.add(new Camera("cam-" + i, "Bench " + i, SITE, new CameraSource(CameraSource.Mode.PULL, clip.toString(), null),
                    new AnalysisSettings(5, 640, 360, VideoBench.ANALYZERS), VideoBench.zones()));
        }
        Deployment demo = DemoCounty.load(k -> null);
        NodeSettings n = demo.node();
        NodeSettings node = new NodeSettings(n.nodeId(), n.roles(), "127.0.0.1", 0, -1, -1, -1, -1, n.dataDir(),
                n.maxPayloadBytes(), n.maxReadingsPerSecondPerDevice(), null);
        ConfigSource config = ConfigSource.of(Deployments.from(demo).node(node).cameras(list).build());
        DemoCounty.Login login = DemoCounty.logins().stream().filter(l -> l.user().equals("wang-fang")).findFirst().orElseThrow();

        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Health health = new Health();
        health.markStarted();
        try (InProcessBus bus = new InProcessBus();
             VideoAnalytics analytics = new VideoAnalytics(config, bus, meters);
             CameraIntake intake = new CameraIntake(config, bus, meters, Clock.systemUTC(), Duration.ofSeconds(1), Duration.ofSeconds(30), Runtime.getRuntime().availableProcessors());
             Console console = new Console(config, meters, health).start(bus)) {
            analytics.start();
            intake.start();
            String origin = "http://127.0.0.1:" + console.port();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(origin + "/api/v1/login"))
                    .header("Content-Type", "application/json").header("Origin", origin)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"wang-fang\",\"password\":\"" + login.password() + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            String cookie = res.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            String watch = "{\"watch\":[" + String.join(",", list.stream().map(c -> "\"" + c.id() + "\"").toList()) + "]}";
            Thread.sleep((long) (WARM_UP_SECONDS * 1000));

            AtomicLong pictures = new AtomicLong();
            List<WebSocket> walls = new ArrayList<>();
            double[] videoCpu = new double[3];
            for (int w = 0; w <= 2; w++) {
                while (walls.size() < w) {
                    WebSocket ws = http.newWebSocketBuilder().header("Cookie", cookie)
                            .buildAsync(URI.create("ws://127.0.0.1:" + console.port() + "/api/v1/live/wall"), new Reader(pictures))
                            .get(10, TimeUnit.SECONDS);
                    ws.sendText(watch, true).get(10, TimeUnit.SECONDS);
                    walls.add(ws);
                }
                Thread.sleep(3000);   // pictures flowing, JIT warm
                double[] a0 = analysed(meters, cameras);
                long pics0 = pictures.get();
                long cpu0 = os.getProcessCpuTime();
                long video0 = videoThreadsCpu();
                long t0 = System.nanoTime();
                Thread.sleep((long) (seconds * 1000));
                double wall = (System.nanoTime() - t0) / 1e9;
                double[] a1 = analysed(meters, cameras);
                double mean = 0;
                double worst = Double.MAX_VALUE;
                for (int i = 0; i < cameras; i++) {
                    double fps = (a1[i] - a0[i]) / wall;
                    mean += fps / cameras;
                    worst = Math.min(worst, fps);
                }
                double cores = (os.getProcessCpuTime() - cpu0) / 1e9 / wall;
                videoCpu[w] = (videoThreadsCpu() - video0) / 1e9 / wall;
                System.out.printf(Locale.ROOT, "WALL %d wall(s) x %d tiles: analysed %.2f fps per camera mean, %.2f worst "
                                + "(configured 5) → %s; pictures received %.1f/s; node CPU %.2f cores; console video threads "
                                + "%.1f %% of a core; load average %s%n", w, cameras, mean, worst,
                        worst >= 4.75 ? "REAL TIME" : "BELOW REAL TIME", (pictures.get() - pics0) / wall, cores,
                        videoCpu[w] * 100, PacedVideoBench.loadAverage());
            }
            System.out.printf(Locale.ROOT, "RESULT first viewer (render + encode + send) %.3f %% of a core per camera; "
                            + "each further viewer %.3f %% of a core per camera%n",
                    (videoCpu[1] - videoCpu[0]) * 100 / cameras, (videoCpu[2] - videoCpu[1]) * 100 / cameras);
            for (WebSocket ws : walls) {
                ws.sendClose(1000, "done");
            }
        }
    }

    /** Frames analysed so far per camera. */
    private static double[] analysed(PrometheusMeterRegistry meters, int cameras) {
        double[] out = new double[cameras];
        for (int i = 0; i < cameras; i++) {
            var c = meters.find("safegrid.video.frames.analysed").tag("camera", "cam-" + i).counter();
            out[i] = c == null ? 0 : c.count();
        }
        return out;
    }

    /** CPU time of the live view's ticker and the console's HTTP event loops, in nanoseconds. */
    private static long videoThreadsCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && (t.getThreadName().startsWith("console-live-view")
                    || t.getThreadName().startsWith("multiThreadIoEventLoopGroup"))) {
                sum += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
            }
        }
        return sum;
    }

    /** Reads the wall's messages as they come and counts the pictures. */
    private record Reader(AtomicLong pictures) implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            if (last) {
                pictures.incrementAndGet();
            }
            ws.request(1);
            return null;
        }
    }
}
