package io.safegrid.node.eval;

import io.safegrid.node.analyze.Progress;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code safegrid eval}: the video analyzers over labelled real footage, scored per analyzer
 * against the labels and held to the targets of the evaluation file.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Run the video analyzers over labelled footage and print precision/recall, people count error, "
                + "false findings per camera-hour and whether the targets hold.")
public final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--footage", paramLabel = "DIR",
            description = "folder with the clips and labels.json (default: ${DEFAULT-VALUE})", defaultValue = "../shared/footage")
    Path footage;

    @Option(names = "--plan", paramLabel = "FILE",
            description = "evaluation file: zones per clip and targets (default: the one built in, " + EvalPlan.DEFAULT + ")")
    Path plan;

    @Option(names = "--no-progress", description = "no progress bar on stderr")
    boolean noProgress;

    @Option(names = "--detector", paramLabel = "NAME",
            description = "the people detector, as video.detector names it: nanodet-int8, nanodet-m (float) or hog "
                    + "(default: the node's default)")
    String detector;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isReadable(footage.resolve("labels.json"))) {
            err.println("no labelled footage at " + footage.toAbsolutePath().normalize()
                    + " (labels.json missing); name the folder with --footage DIR");
            return 2;
        }
        if (detector != null && !io.safegrid.config.VideoConfig.nanoDetFloat(detector)
                && !detector.equals(io.safegrid.config.VideoConfig.NANODET_INT8) && !detector.equals(io.safegrid.config.VideoConfig.HOG)) {
            err.println("unknown detector '" + detector + "' (expected nanodet-int8, nanodet-m or hog)");
            return 2;
        }
        EvalPlan p;
        try {
            p = plan == null ? EvalPlan.loadDefault() : EvalPlan.load(plan);
        } catch (Exception e) {
            err.println("cannot read the evaluation file: " + e.getMessage());
            return 2;
        }
        Progress progress = new Progress(err, Evaluation.seconds(footage, p), noProgress);
        Evaluation e;
        try {
            io.safegrid.config.VideoConfig video = io.safegrid.config.VideoConfig.defaults();
            e = Evaluation.run(footage, p, detector == null ? video : video.withDetector(detector), progress::at);
        } catch (java.io.IOException ex) {
            progress.clear();
            err.println(ex.getMessage());
            return 2;
        }
        progress.done();
        print(e, out);
        out.flush();
        return e.passed() ? 0 : 1;
    }

    /** The report: one block per clip, one line per analyzer, one line per target. */
    public static void print(Evaluation e, PrintWriter out) {
        EvalPlan p = e.plan();
        out.printf(Locale.ROOT, "safegrid eval: %d clips at %s fps, %d px wide; moments from %s s on are scored; people detector: %s%n",
                e.clips().size(), Evaluation.fmt(p.fps()), p.width(), Evaluation.fmt(p.settleSeconds()), e.detector());
        out.println();
        out.printf(Locale.ROOT, "%-36s %6s %5s  %-22s %-22s %-9s %-8s %s%n", "clip", "video", "pics",
                "fire tp/fp/fn/tn first", "smoke tp/fp/fn/tn first", "intrusion", "crowding", "people truth/counted");
        for (Scores s : e.clips()) {
            ClipReplay.Result r = s.replay();
            out.printf(Locale.ROOT, "%-36s %5.1fs %5d  %-22s %-22s %-9s %-8s %s%n", s.setup().file(), r.seconds(), r.analysed(),
                    kind(s.kinds().get("fire")), kind(s.kinds().get("smoke")),
                    s.setup().cleanZones().isEmpty() ? "-" : Integer.toString(s.intrusions()),
                    s.people() == null ? "-" : s.people().crowding() + (s.people().truthOver() ? " (over)" : ""),
                    s.people() == null ? "-" : s.people().pairs());
            out.printf(Locale.ROOT, "    %dx%d, findings: %s%n", r.width(), r.height(), Evaluation.findings(r.starts()));
        }
        out.println();
        out.printf(Locale.ROOT, "%-9s %-9s %-9s %-13s %s%n", "analyzer", "precision", "recall", "clips found", "false findings (clips without it)");
        for (String kind : Scores.LABELLED.keySet().stream().sorted().toList()) {
            int tp = 0, fp = 0, fn = 0, found = 0, with = 0, falses = 0;
            double hours = 0;
            int clean = 0;
            for (Scores s : e.clips()) {
                Scores.KindScore k = s.kinds().get(kind);
                tp += k.tp();
                fp += k.fp();
                fn += k.fn();
                if (k.present()) {
                    with++;
                    found += k.starts() > 0 ? 1 : 0;
                }
                if (k.absent()) {
                    clean++;
                    falses += k.starts();
                    hours += r(s) / 3600;
                }
            }
            out.printf(Locale.ROOT, "%-9s %-9s %-9s %-13s %d on %d clips, %.1f min: %s per camera-hour%n", kind,
                    ratio(tp, tp + fp), ratio(tp, tp + fn), found + "/" + with, falses, clean, hours * 60,
                    Evaluation.fmt(hours > 0 ? falses / hours : 0));
        }
        int intr = 0, intrClips = 0;
        double intrHours = 0;
        for (Scores s : e.clips()) {
            if (!s.setup().cleanZones().isEmpty()) {
                intr += s.intrusions();
                intrClips++;
                intrHours += r(s) / 3600;
            }
        }
        out.printf(Locale.ROOT, "%-9s %-9s %-9s %-13s %d on %d clips, %.1f min: %s per camera-hour%n", "intrusion", "-", "-",
                "-", intr, intrClips, intrHours * 60, Evaluation.fmt(intrHours > 0 ? intr / intrHours : 0));
        int occ = 0, withPeople = 0, falseOcc = 0, within = 0, countable = 0, withinP = 0, countableP = 0, over = 0, overFired = 0, under = 0, underFired = 0;
        for (Scores s : e.clips()) {
            if (s.people() == null) {
                continue;
            }
            Scores.PeopleScore q = s.people();
            occ += q.occupied();
            withPeople += q.peopleMoments();
            falseOcc += q.falselyOccupied();
            within += q.withinOne();
            countable += q.countable();
            withinP += q.withinOneWithPeople();
            countableP += q.countableWithPeople();
            if (q.truthOver()) {
                over++;
                overFired += q.crowding() > 0 ? 1 : 0;
            }
            if (q.truthUnder()) {
                under++;
                underFired += q.crowding() > 0 ? 1 : 0;
            }
        }
        out.printf(Locale.ROOT, "%-9s occupied %d/%d (recall %s, precision %s), count within +-1 %d/%d (%s, <= %d people; %d/%d with 1 to %d), crowding fired on %d/%d "
                        + "clips over the limit and %d/%d within it (%s)%n", "people", occ, withPeople,
                Evaluation.pct(Evaluation.share(occ, withPeople)), Evaluation.pct(Evaluation.share(occ, occ + falseOcc)),
                within, countable,
                Evaluation.pct(Evaluation.share(within, countable)), p.people().upTo(), withinP, countableP,
                p.people().upTo(), overFired, over, underFired, under,
                e.detector());
        java.util.Map<String, Long> nanos = new java.util.LinkedHashMap<>();
        long pictures = 0;
        for (Scores s : e.clips()) {
            pictures += s.replay().analysed();
            s.replay().stageNanos().forEach((k, v) -> nanos.merge(k, v, Long::sum));
        }
        StringBuilder cost = new StringBuilder();
        for (String stage : java.util.List.of("resize", "gate", "tamper", "intrusion", "people", "fire", "smoke")) {
            Long n = nanos.get(stage);
            if (n != null && pictures > 0) {
                cost.append(cost.isEmpty() ? "" : ", ").append(stage)
                        .append(String.format(Locale.ROOT, " %.2f", n / 1e6 / pictures));
            }
        }
        out.printf(Locale.ROOT, "CPU per analysed picture (ms of one core, %d pictures): %s%n", pictures, cost);
        out.println();
        for (Evaluation.Check c : e.checks()) {
            out.printf(Locale.ROOT, "%-4s  %-9s %-70s %s%s%n", c.pass() ? "PASS" : "FAIL", c.analyzer(), c.target(),
                    c.measured(), c.enforced() ? "" : "  (reported, not enforced)");
        }
        out.println(e.passed() ? "targets held" : "TARGETS MISSED");
    }

    private static double r(Scores s) {
        return s.replay().seconds();
    }

    private static String kind(Scores.KindScore k) {
        return String.format(Locale.ROOT, "%d/%d/%d/%d %s", k.tp(), k.fp(), k.fn(), k.tn(),
                Double.isNaN(k.first()) ? "-" : String.format(Locale.ROOT, "%.1fs", k.first()));
    }

    private static String ratio(int n, int of) {
        return of == 0 ? "-" : String.format(Locale.ROOT, "%.2f", n / (double) of);
    }
}
