package io.safegrid.node.eval;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.analytics.video.Detection;
import io.safegrid.analytics.video.detect.DetectorPool;
import io.safegrid.analytics.video.detect.Detectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.DoubleConsumer;

/**
 * The whole evaluation: every clip of the plan replayed and scored, and the plan's targets checked.
 * What the CLI prints and the footage test asserts.
 */
public record Evaluation(EvalPlan plan, List<Scores> clips, List<Check> checks) {

    /**
     * One target, measured.
     *
     * @param enforced false where the plan only reports it (a hard clip, the HOG fallback's people numbers)
     */
    public record Check(String analyzer, String target, String measured, boolean pass, boolean enforced) {
        public boolean failed() {
            return enforced && !pass;
        }
    }

    /**
     * The clips of the plan found in {@code footage}, scored in the plan's order; a missing clip is
     * an error. Clips are independent cameras, so they run side by side, one per core.
     *
     * @param progress seconds of video analysed so far, all clips together
     */
    public static Evaluation run(Path footage, EvalPlan plan, DoubleConsumer progress) throws IOException {
        return run(footage, plan, io.safegrid.config.VideoConfig.defaults(), progress);
    }

    /** As above, with the detector and evidence settings of {@code video} (a node's {@code video:}). */
    public static Evaluation run(Path footage, EvalPlan plan, io.safegrid.config.VideoConfig video, DoubleConsumer progress)
            throws IOException {
        Labels labels = Labels.read(footage.resolve("labels.json"));
        for (EvalPlan.ClipSetup setup : plan.clips()) {
            if (!Files.isReadable(footage.resolve(setup.file()))) {
                throw new IOException("cannot read " + footage.resolve(setup.file()));
            }
            if (labels.of(setup.file()).isEmpty()) {
                throw new IOException(footage.resolve("labels.json") + " has no labels for " + setup.file());
            }
        }
        double[] done = new double[plan.clips().size()];
        int threads = Math.max(1, Math.min(plan.clips().size(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "eval-clip");
            t.setDaemon(true);
            return t;
        });
        // a recording is judged on every pass it asks for: clips share the detector without the live
        // pool's skip-when-busy, so the scores do not depend on how busy the machine is
        io.safegrid.config.VideoConfig v = video;
        DetectorPool detectors = Detectors.load(new io.safegrid.config.VideoConfig(v.detector(), v.score(), threads,
                Duration.ofMinutes(10), v.keepAlive(), v.detectInterval(), v.models(), v.workWidth(), v.evidence()),
                new SimpleMeterRegistry());
        io.safegrid.analytics.video.ObjectStage.Params stage = io.safegrid.analytics.video.ObjectStage.Params.of(v);
        try {
            List<Future<ClipReplay.Result>> runs = new ArrayList<>();
            for (int i = 0; i < plan.clips().size(); i++) {
                int index = i;
                EvalPlan.ClipSetup setup = plan.clips().get(i);
                runs.add(pool.submit(() -> ClipReplay.run(footage.resolve(setup.file()), plan, setup, detectors, stage, t -> {
                    synchronized (done) {
                        done[index] = t;
                        double sum = 0;
                        for (double d : done) {
                            sum += d;
                        }
                        progress.accept(sum);
                    }
                })));
            }
            List<Scores> scores = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                EvalPlan.ClipSetup setup = plan.clips().get(i);
                scores.add(Scores.of(result(runs.get(i)), setup, labels.of(setup.file()), plan));
            }
            return new Evaluation(plan, List.copyOf(scores), checks(plan, scores));
        } finally {
            pool.shutdownNow();
            detectors.close();
        }
    }

    private static ClipReplay.Result result(Future<ClipReplay.Result> run) throws IOException {
        try {
            return run.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause().toString(), e.getCause());
        }
    }

    /** Seconds of video in the plan's clips, for a progress bar (read from the files' headers). */
    public static double seconds(Path footage, EvalPlan plan) {
        org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
        double total = 0;
        for (EvalPlan.ClipSetup c : plan.clips()) {
            try (var g = new org.bytedeco.javacv.FFmpegFrameGrabber(footage.resolve(c.file()).toFile())) {
                g.start();
                total += g.getLengthInTime() / 1e6;
                g.stop();
            } catch (Exception e) {
                // counted as nothing; the run itself reports the unreadable clip
            }
        }
        return total;
    }

    public boolean passed() {
        return checks.stream().noneMatch(Check::failed);
    }

    /** The people detector the clips were analysed with ({@code hog}, or a model's name). */
    public String detector() {
        return clips.stream().map(s -> s.replay().detector()).filter(d -> d != null).findFirst().orElse("none");
    }

    private static List<Check> checks(EvalPlan plan, List<Scores> clips) {
        List<Check> out = new ArrayList<>();
        for (String kind : List.of("fire", "smoke")) {
            EvalPlan.KindTarget t = plan.kinds().get(kind);
            int falses = 0;
            double hours = 0;
            for (Scores s : clips) {
                Scores.KindScore k = s.kinds().get(kind);
                if (k.absent()) {
                    falses += k.starts();
                    hours += s.replay().seconds() / 3600;
                }
            }
            double perHour = hours > 0 ? falses / hours : 0;
            out.add(new Check(kind, "false findings per camera-hour <= " + fmt(t.falsePerHour()),
                    String.format(Locale.ROOT, "%d in %.1f min: %s/h", falses, hours * 60, fmt(perHour)),
                    perHour <= t.falsePerHour(), true));
            if (t.found()) {
                for (Scores s : clips) {
                    Scores.KindScore k = s.kinds().get(kind);
                    if (k.present()) {
                        out.add(new Check(kind, "found on " + s.setup().file(),
                                k.starts() > 0 ? "first at " + fmt(k.first()) + " s" : "not found",
                                k.starts() > 0, !t.notEnforced().contains(s.setup().file())));
                    }
                }
            }
        }
        EvalPlan.KindTarget intrusion = plan.kinds().get("intrusion");
        int falses = 0;
        double hours = 0;
        for (Scores s : clips) {
            if (!s.setup().cleanZones().isEmpty()) {
                falses += s.intrusions();
                hours += s.replay().seconds() / 3600;
            }
        }
        double perHour = hours > 0 ? falses / hours : 0;
        out.add(new Check("intrusion", "false findings per camera-hour <= " + fmt(intrusion.falsePerHour()),
                String.format(Locale.ROOT, "%d in %.1f min: %s/h", falses, hours * 60, fmt(perHour)),
                perHour <= intrusion.falsePerHour(), true));

        EvalPlan.PeopleTarget p = plan.people();
        int occupied = 0;
        int peopleMoments = 0;
        int within = 0;
        int countable = 0;
        String detector = "none";
        for (Scores s : clips) {
            if (s.people() != null) {
                occupied += s.people().occupied();
                peopleMoments += s.people().peopleMoments();
                within += s.people().withinOne();
                countable += s.people().countable();
                detector = s.replay().detector();
            }
        }
        double occ = share(occupied, peopleMoments);
        double win = share(within, countable);
        out.add(new Check("people", "zone reported occupied in >= " + pct(p.occupied()) + " of moments with people",
                occupied + "/" + peopleMoments + " = " + pct(occ) + " (" + detector + ")", occ >= p.occupied(),
                p.enforced(detector, "occupied")));
        out.add(new Check("people", "count within +-1 in >= " + pct(p.withinOne()) + " of moments with <= "
                + p.upTo() + " people", within + "/" + countable + " = " + pct(win) + " (" + detector + ")",
                win >= p.withinOne(), p.enforced(detector, "within-one")));
        if (p.crowding()) {
            for (Scores s : clips) {
                if (s.people() != null && s.people().truthOver()) {
                    out.add(new Check("people", "crowding on " + s.setup().file() + " (limit "
                            + s.setup().counted().maxPeople() + ")", s.people().crowding() > 0 ? "fired" : "not fired",
                            s.people().crowding() > 0, p.enforced(detector, s.setup().file())));
                }
                if (s.people() != null && s.people().truthUnder()) {
                    out.add(new Check("people", "no crowding on " + s.setup().file() + " (limit "
                            + s.setup().counted().maxPeople() + ")", s.people().crowding() > 0 ? "fired" : "none",
                            s.people().crowding() == 0, p.enforced(detector, s.setup().file())));
                }
            }
        }
        return List.copyOf(out);
    }

    static double share(int n, int of) {
        return of == 0 ? Double.NaN : n / (double) of;
    }

    static String pct(double share) {
        return Double.isNaN(share) ? "-" : String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** Findings of a replay as "KIND@zone t", for the table. */
    static String findings(List<Detection> starts) {
        if (starts.isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        for (Detection d : starts) {
            sb.append(sb.isEmpty() ? "" : ", ").append(d.kind().name().toLowerCase(Locale.ROOT));
            if (d.zone() != null) {
                sb.append('@').append(d.zone().name());
            }
            sb.append(String.format(Locale.ROOT, " %.1fs", d.time()));
        }
        return sb.toString();
    }
}
