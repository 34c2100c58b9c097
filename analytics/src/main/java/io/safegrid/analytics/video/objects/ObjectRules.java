package io.safegrid.analytics.video.objects;

import io.safegrid.analytics.video.AnalysisFrame;
import io.safegrid.analytics.video.Blobs;
import io.safegrid.analytics.video.Box;
import io.safegrid.analytics.video.Debounce;
import io.safegrid.analytics.video.Detection;
import io.safegrid.analytics.video.FrameAnalyzer;
import io.safegrid.analytics.video.ObjectStage;
import io.safegrid.analytics.video.detect.DetectorPool;
import io.safegrid.analytics.video.track.Track;
import io.safegrid.config.VideoConfig;
import io.safegrid.model.device.Zone;
import io.safegrid.model.finding.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * A vendor's model on one camera (helmets, vests, smoking …): its own motion-gated detector
 * passes and tracker, and the deployment's rules saying which of its classes raises which
 * finding, anywhere in the picture or in the camera's zones of a given purpose (e.g.
 * {@code no-helmet} in a {@code ppe} zone). A rule's finding starts once its object has been
 * tracked there for the rule's dwell time and clears 3 s after it is gone.
 */
public final class ObjectRules implements FrameAnalyzer {
    private static final double CLEAR_AFTER = 3.0;

    /** One rule applied in one place (a zone, or the whole picture when zone is null). */
    private record Watch(VideoConfig.Raise rule, Zone zone, Debounce state) { }

    private final String model;
    private final ObjectStage stage;
    private final List<Watch> watches = new ArrayList<>();

    public ObjectRules(String model, DetectorPool pool, List<VideoConfig.Raise> rules, List<Zone> zones,
                       ObjectStage.Params params) {
        this.model = model;
        this.stage = new ObjectStage(pool, params);
        for (VideoConfig.Raise r : rules) {
            double dwell = r.dwell().toMillis() / 1000.0;
            if (r.purpose() == null) {
                watches.add(new Watch(r, null, new Debounce(dwell, CLEAR_AFTER)));
            } else {
                for (Zone z : zones) {
                    if (z.purpose() == r.purpose()) {
                        watches.add(new Watch(r, z, new Debounce(dwell, CLEAR_AFTER)));
                    }
                }
            }
        }
    }

    @Override
    public String name() { return "model:" + model; }

    public ObjectStage stage() { return stage; }

    @Override
    public List<Detection> analyze(AnalysisFrame frame) {
        if (watches.isEmpty()) {
            return List.of();
        }
        List<Track> tracks;
        try {
            tracks = stage.update(frame);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
        List<Detection> out = new ArrayList<>();
        for (Watch w : watches) {
            Box box = null;
            int n = 0;
            for (Track t : tracks) {
                if (t.label().equals(w.rule().object()) && t.confirmed(stage.minHits())
                        && (w.zone() == null || Blobs.inZone(t.box(), w.zone(), frame.width(), frame.height()))) {
                    box = box == null ? t.box() : box.union(t.box());
                    n++;
                }
            }
            switch (w.state().update(n > 0, frame.time())) {
                case STARTED -> out.add(Detection.said(w.rule().kind(), w.rule().level(), Condition.ACTIVE, w.zone(), box, n,
                        Double.NaN, frame.time(), "video.objects.seen", objectArgs(w, model, n)));
                case ENDED -> out.add(Detection.said(w.rule().kind(), w.rule().level(), Condition.CLEARED, w.zone(), box, 0,
                        Double.NaN, frame.time(), "video.objects.gone", objectArgs(w, model, 0)));
                case NONE -> { }
            }
        }
        return out;
    }

    @Override
    public void close() { }

    private static java.util.Map<String, String> objectArgs(Watch w, String model, int n) {
        java.util.Map<String, String> a = new java.util.HashMap<>();
        a.put("count", Integer.toString(n));
        a.put("object", Detection.object(w.rule().object()));
        a.put("model", model);
        a.put("where", w.zone() == null ? "" : "@video.inZone");
        if (w.zone() != null) {
            a.put("zone", w.zone().name());
        }
        return a;
    }
}
