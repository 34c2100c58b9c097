package io.safegrid.node.analyze;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.safegrid.analytics.video.CameraAnalyzer;
import io.safegrid.analytics.video.Detection;
import io.safegrid.model.device.Zone;
import io.safegrid.model.video.AnalysisRate;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code safegrid analyze FILE}: the node's video analyzers over a recording, for checking a
 * camera's zones and settings before they go live, or looking back at an incident.
 * Findings go to stdout (text, or one JSON object per line); the progress bar to stderr.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Run the video analyzers over a video file and print what they find, with video timestamps.")
public final class AnalyzeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "video file (anything FFmpeg reads: mp4, ts, mkv, avi …)")
    Path file;

    @Option(names = "--zone", paramLabel = "PURPOSE:NAME=X,Y;X,Y;…", converter = ZoneSpec.class,
            description = "a zone in picture fractions, repeatable; purpose restricted, danger, post or crowd; "
                    + "optional @DWELL seconds, #MAXPEOPLE and !OBJECT (what counts in a restricted or danger zone: person by "
                    + "default, motion for anything moving), e.g. restricted:gate=0.1,0.5;0.4,0.5;0.4,0.9;0.1,0.9@2")
    List<Zone> zones = new ArrayList<>();

    @Option(names = "--analyzers", split = ",", paramLabel = "NAME",
            description = "which analyzers to run (default: ${DEFAULT-VALUE})", defaultValue = "intrusion,people,fire,smoke,tamper")
    List<String> analyzers;

    @Option(names = "--fps", description = "pictures analysed per second of video (default: ${DEFAULT-VALUE})", defaultValue = "5")
    double fps;

    @Option(names = "--width", description = "analysis width in pixels; height follows the video's shape (default: ${DEFAULT-VALUE})",
            defaultValue = "640")
    int width;

    @Option(names = "--json", description = "one JSON object per finding and line")
    boolean json;

    @Option(names = "--snapshots", paramLabel = "DIR", description = "write each finding's JPEG evidence here")
    Path snapshots;

    @Option(names = "--no-progress", description = "no progress bar on stderr")
    boolean noProgress;

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isReadable(file)) {
            err.println("cannot read " + file);
            return 2;
        }
        if (fps <= 0 || width < 32) {
            err.println("--fps must be positive and --width at least 32");
            return 2;
        }
        for (String a : analyzers) {
            if (!CameraAnalyzer.KNOWN.contains(a.trim().toLowerCase(Locale.ROOT))) {
                err.println("unknown analyzer '" + a + "' (known: " + String.join(", ", CameraAnalyzer.KNOWN) + ")");
                return 2;
            }
        }
        if (snapshots != null) {
            Files.createDirectories(snapshots);
        }
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        int found = 0;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile());
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            try {
                g.start();
            } catch (FFmpegFrameGrabber.Exception e) {
                err.println("cannot open " + file + " as video: " + e.getMessage());
                return 2;
            }
            if (g.getImageWidth() <= 0 || g.getImageHeight() <= 0) {
                err.println(file + " has no video stream");
                return 2;
            }
            int w = Math.min(width, g.getImageWidth());
            int h = Math.max(2, (int) Math.round(g.getImageHeight() * (w / (double) g.getImageWidth())) & ~1);
            g.stop();
            g.setImageWidth(w);
            g.setImageHeight(h);
            g.start();
            double length = g.getLengthInTime() / 1e6;
            Progress progress = new Progress(err, length, noProgress);
            try (CameraAnalyzer analyzer = new CameraAnalyzer(zones, new LinkedHashSet<>(analyzers))) {
                AnalysisRate rate = new AnalysisRate(fps);
                Frame f;
                while ((f = g.grabImage()) != null) {
                    double t = f.timestamp / 1e6;
                    progress.at(t);
                    if (!rate.take(t)) {
                        continue;
                    }
                    Mat m = conv.convert(f);
                    for (Detection d : analyzer.analyze(m, t)) {
                        found++;
                        String snap = null;
                        if (snapshots != null) {
                            Path p = snapshots.resolve(String.format(Locale.ROOT, "%08.2f-%s-%s.jpg", t,
                                    d.kind().name().toLowerCase(Locale.ROOT), d.condition().name().toLowerCase(Locale.ROOT)));
                            Files.write(p, analyzer.snapshot(m, d));
                            snap = p.toString();
                        }
                        progress.clear();
                        out.println(json ? json(d, snap) : text(d, snap));
                        out.flush();
                    }
                }
            }
            progress.done();
            g.stop();
        }
        if (!json) {
            out.println(found + " finding(s)");
        }
        out.flush();
        return 0;
    }

    static String text(Detection d, String snapshot) {
        return String.format(Locale.ROOT, "%8s  %-7s  %-22s %-6s %-10s %s%s", clock(d.time()), d.condition(), d.kind(),
                d.level(), d.zone() == null ? "-" : d.zone().name(), d.message(), snapshot == null ? "" : "  [" + snapshot + "]");
    }

    String json(Detection d, String snapshot) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", Math.round(d.time() * 100) / 100.0);
        m.put("kind", d.kind().name());
        m.put("condition", d.condition().name());
        m.put("level", d.level().name());
        m.put("zone", d.zone() == null ? null : d.zone().name());
        m.put("message", d.message());
        if (Double.isFinite(d.value())) {
            m.put("value", d.value());
        }
        if (d.box() != null) {
            m.put("box", List.of(d.box().x(), d.box().y(), d.box().width(), d.box().height()));
        }
        if (snapshot != null) {
            m.put("snapshot", snapshot);
        }
        return mapper.writeValueAsString(m);
    }

    static String clock(double seconds) {
        return Progress.clock(seconds);
    }
}
