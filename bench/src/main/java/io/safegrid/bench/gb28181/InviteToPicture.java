package io.safegrid.bench.gb28181;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Gb28181Config;
import io.safegrid.ingest.gb28181.Gb28181Server;
import io.safegrid.ingest.gb28181.live.PlaySession;
import io.safegrid.ingest.gb28181.sim.SimulatedDevice;
import io.safegrid.ingest.gb28181.sip.SipStacks;
import io.safegrid.model.grid.GridPath;
import io.safegrid.testing.Deployments;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * INVITE → first decoded picture on loopback, the way the node plays a GB/T 28181 channel: the server
 * INVITEs a simulated NVR's channel, the NVR answers and streams PS over RTP, FFmpeg demultiplexes and
 * decodes, and the time to the first picture is taken; then BYE, and again. Two devices:
 * <ul>
 *   <li>{@code recorded}: the NVR's encoder is already running (PS recorded once from a clip, GOP 25,
 *       sent from a key frame, each frame in one burst at its PTS), which is how cameras answer an INVITE;</li>
 *   <li>{@code ffmpeg}: the simulated NVR starts FFmpeg (libx264) when it gets the ACK, so the encoder's
 *       start is inside the time: the demo's worst case.</li>
 * </ul>
 *
 * Each step of the start is timed too (see {@link PlaySession.Steps}) and printed as p50/p99.
 *
 * Stops after {@code trials} timed trials or {@code budget-seconds}, whichever comes first.
 *
 * <pre>InviteToPicture clip.mp4 [trials=50] [recorded|ffmpeg] [udp|tcp] [budget-seconds=100]</pre>
 */
public final class InviteToPicture {
    private static final String NVR = "34020000001180000001";
    private static final String CH = "34020000001320000001";

    public static void main(String[] args) throws Exception {
        String clip = args[0];
        int trials = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        boolean recorded = args.length <= 2 || args[2].equals("recorded");
        boolean tcp = args.length > 3 && args[3].equals("tcp");
        long budgetEnd = System.nanoTime() + (args.length > 4 ? Long.parseLong(args[4]) : 100) * 1_000_000_000L;
        Path dir = Files.createTempDirectory("invite-bench");
        Path ps = dir.resolve("clip.ps");
        int seconds = 10;
        Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", clip, "-t", String.valueOf(seconds),
                "-an", "-vf", "scale=1280:-2", "-c:v", "libx264", "-preset", "veryfast", "-g", "25", "-bf", "0", "-pix_fmt",
                "yuv420p", "-f", "mpeg", ps.toString()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("ffmpeg failed");
        }
        int port = SipStacks.freePort("127.0.0.1");
        GridPath site = GridPath.parse("county/town/site");
        Gb28181Config gb = new Gb28181Config("34020000002000000001", "3402000000", "127.0.0.1", port, Duration.ofSeconds(60), 3, 5,
                Duration.ofMinutes(1), List.of(new Gb28181Config.Device(NVR, "NVR", "pw", site, null,
                List.of(new Gb28181Config.Channel(CH, "ch", site)))));
        ConfigSource config = ConfigSource.of(Deployments.builder().name("invite-bench").gb28181(gb).build());
        List<Double> ms = new ArrayList<>();
        List<PlaySession.Steps> steps = new ArrayList<>();
        double loadBefore = load();
        int failed = 0;
        try (InProcessBus bus = new InProcessBus();
             Gb28181Server server = new Gb28181Server(config, bus, new SimpleMeterRegistry(), Clock.systemUTC());
             SimulatedDevice nvr = startNvr(server, port)) {
            if (recorded) {
                nvr.recorded(ps);
            } else {
                nvr.clip(clip);
            }
            for (int i = 0; i < trials + 3 && System.nanoTime() < budgetEnd; i++) {
                PlaySession s = server.play(CH, tcp, Duration.ofSeconds(5), Duration.ofSeconds(5), f -> { });
                try {
                    Duration took = s.firstPicture().get(15, TimeUnit.SECONDS);
                    PlaySession.Steps st = s.steps();
                    if (i >= 3) {   // the first few warm the JIT and FFmpeg's libraries
                        ms.add(took.toNanos() / 1e6);
                        steps.add(st);
                    }
                    System.out.printf("trial %d: %d ms (%s)%n", i, took.toMillis(), line(st));
                } catch (Exception e) {
                    failed++;
                    System.out.println("trial " + i + " failed: " + s.failure());
                } finally {
                    server.stop(s);
                }
                Thread.sleep(200);
            }
        }
        ms.sort(Double::compare);
        System.out.printf("INVITE -> first decoded picture, %s device, RTP over %s, %s H.264 in PS, %d trials (%d failed):"
                        + " p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms%n", recorded ? "recorded-PS" : "FFmpeg-at-ACK",
                tcp ? "TCP" : "UDP", recorded ? "1280-wide" : "the clip's own size of", ms.size(), failed, pct(ms, 50), pct(ms, 90), pct(ms, 99), ms.get(ms.size() - 1));
        System.out.println("step by step, ms (p50 / p99 over the timed trials; each step from the end of the one before):");
        step("INVITE -> 200 OK", steps, st -> st.answered());
        step("200 OK -> ACK sent", steps, st -> st.acked() - st.answered());
        step("ACK -> first RTP packet", steps, st -> st.firstRtp() - st.acked());
        step("first RTP -> first whole frame (key frame) received", steps, st -> st.firstFrame() - st.firstRtp());
        step("first whole frame -> demuxer open (probe done)", steps, st -> st.opened() - st.firstFrame());
        step("demuxer open -> first picture decoded", steps, st -> st.firstPicture() - st.opened());
        System.out.printf("load average: %.2f at the start, %.2f at the end (%d CPUs)%n", loadBefore, load(),
                Runtime.getRuntime().availableProcessors());
        Files.deleteIfExists(ps);
        Files.deleteIfExists(dir);
        System.exit(0);
    }

    private static SimulatedDevice startNvr(Gb28181Server server, int port) throws Exception {
        server.start();
        SimulatedDevice nvr = new SimulatedDevice(NVR, "pw", "34020000002000000001", "127.0.0.1", port, "UDP",
                List.of(new SimulatedDevice.Channel(CH, "ch")), StandardCharsets.UTF_8);
        if (nvr.register(Duration.ofHours(1)) != 200) {
            throw new IllegalStateException("the NVR could not register");
        }
        nvr.startKeepalives(Duration.ofSeconds(20));
        Thread.sleep(1000);
        return nvr;
    }

    private static String line(PlaySession.Steps st) {
        return String.format("200 at %.1f, ACK %.1f, RTP %.1f, frame %.1f, open %.1f, picture %.1f", st.answered(), st.acked(),
                st.firstRtp(), st.firstFrame(), st.opened(), st.firstPicture());
    }

    private static void step(String name, List<PlaySession.Steps> steps, java.util.function.ToDoubleFunction<PlaySession.Steps> f) {
        List<Double> d = new ArrayList<>();
        steps.forEach(st -> d.add(f.applyAsDouble(st)));
        d.sort(Double::compare);
        System.out.printf("  %-52s %8.1f / %8.1f%n", name, pct(d, 50), pct(d, 99));
    }

    private static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static double pct(List<Double> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
