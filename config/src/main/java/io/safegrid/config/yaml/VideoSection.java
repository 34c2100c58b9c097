package io.safegrid.config.yaml;

import io.safegrid.config.VideoConfig;
import io.safegrid.model.Level;
import io.safegrid.model.device.ZonePurpose;
import io.safegrid.model.finding.FindingKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/** {@code video:}, the object detector and the vendors' models; left out, NanoDet with its defaults. */
final class VideoSection {
    private VideoSection() {
    }

    static VideoConfig read(Doc doc, Node yaml) {
        VideoConfig d = VideoConfig.defaults();
        MapReader m = doc.map(yaml, "video", "detector", "score", "pool-size", "max-wait", "keep-alive",
                "detect-interval", "models", "work-width",
                "low-score", "confirm-score", "confirm-history", "nms-iou");
        Double score = m.number("score");
        if (score == null) {
            score = d.score();
        } else if (score <= 0 || score >= 1) {
            doc.error(m.at("score"), m.path("score"), "must be between 0 and 1, got " + CatalogueSection.fmt(score));
        }
        int pool = m.integer("pool-size", d.poolSize(), 1, 64);
        Duration maxWait = m.duration("max-wait", d.maxWait());
        if (maxWait != null && (maxWait.isNegative() || maxWait.toSeconds() > 10)) {
            doc.error(m.at("max-wait"), m.path("max-wait"), "must be between 0s and 10s");
        }
        Duration keepAlive = m.duration("keep-alive", d.keepAlive());
        if (keepAlive != null && (keepAlive.toMillis() < 200 || keepAlive.toMinutes() > 10)) {
            doc.error(m.at("keep-alive"), m.path("keep-alive"), "must be between 200ms and 10m");
        }
        Duration interval = m.duration("detect-interval", d.detectInterval());
        if (interval != null && (interval.isNegative() || interval.toSeconds() > 10)) {
            doc.error(m.at("detect-interval"), m.path("detect-interval"), "must be between 0s and 10s");
        }
        List<VideoConfig.ModelDef> models = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<Node> items = m.list("models");
        for (int i = 0; i < items.size(); i++) {
            VideoConfig.ModelDef md = model(doc, items.get(i), m.path("models") + "[" + i + "]");
            if (md != null) {
                if (!names.add(md.name()) || md.name().equals(VideoConfig.NANODET) || md.name().equals(VideoConfig.HOG)
                        || md.name().equals(VideoConfig.NANODET_INT8) || md.name().equals(VideoConfig.NANODET_M)) {
                    doc.error(items.get(i), m.path("models") + "[" + i + "].name", "model name '" + md.name()
                            + "' is taken (by another model or a built-in detector)");
                } else {
                    models.add(md);
                }
            }
        }
        String detector = m.string("detector", d.detector()).strip();
        if (!VideoConfig.nanoDetFloat(detector) && !detector.equals(VideoConfig.HOG) && !names.contains(detector)
                && !detector.equals(VideoConfig.NANODET_INT8)) {
            doc.error(m.at("detector"), m.path("detector"), "unknown detector '" + detector
                    + "' (expected nanodet-int8, nanodet-m, nanodet, hog"
                    + (names.isEmpty() ? "" : " or a model: " + String.join(", ", names)) + ")");
        }
        int workWidth = m.integer("work-width", d.workWidth(), 64, 1920);
        return new VideoConfig(detector, score, pool, maxWait == null ? d.maxWait() : maxWait,
                keepAlive == null ? d.keepAlive() : keepAlive, interval == null ? d.detectInterval() : interval, models,
                workWidth, evidence(doc, m, score));
    }

    private static VideoConfig.Evidence evidence(Doc doc, MapReader m, double score) {
        VideoConfig.Evidence d = VideoConfig.Evidence.defaults();
        double low = fraction(doc, m, "low-score", d.lowScore());
        if (low > score) {
            doc.error(m.at("low-score"), m.path("low-score"), "must not be above score (" + CatalogueSection.fmt(score) + ")");
        }
        double confirm = fraction(doc, m, "confirm-score", d.confirmScore());
        int history = m.integer("confirm-history", d.history(), 1, 50);
        double nms = fraction(doc, m, "nms-iou", d.nmsIou());
        return new VideoConfig.Evidence(low, confirm, history, nms);
    }

    /** A number between 0 and 1 (exclusive), or the default when left out. */
    private static double fraction(Doc doc, MapReader m, String key, double otherwise) {
        Double v = m.number(key);
        if (v == null) {
            return otherwise;
        }
        if (v <= 0 || v >= 1) {
            doc.error(m.at(key), m.path(key), "must be between 0 and 1, got " + CatalogueSection.fmt(v));
        }
        return v;
    }

    private static VideoConfig.ModelDef model(Doc doc, Node yaml, String path) {
        MapReader m = doc.map(yaml, path, "name", "file", "input-size", "classes", "score", "raise");
        String name = m.required("name");
        Path file = m.readableFile("file");
        Integer size = m.integer("input-size", 640, 32, 4096);
        List<String> classes = m.strings("classes");
        if (classes.isEmpty()) {
            doc.error(m.has("classes") ? m.at("classes") : m.node(), m.path("classes"), "required: the model's class names, in its order");
        }
        Double score = m.number("score");
        if (score == null) {
            score = 0.5;
        } else if (score <= 0 || score >= 1) {
            doc.error(m.at("score"), m.path("score"), "must be between 0 and 1, got " + CatalogueSection.fmt(score));
        }
        List<VideoConfig.Raise> raise = new ArrayList<>();
        List<Node> rules = m.list("raise");
        boolean ok = true;
        for (int i = 0; i < rules.size(); i++) {
            VideoConfig.Raise r = raise(doc, rules.get(i), m.path("raise") + "[" + i + "]", classes);
            if (r == null) {
                ok = false;
            } else {
                raise.add(r);
            }
        }
        if (name == null || file == null || size == null || classes.isEmpty() || !ok) {
            return null;
        }
        return new VideoConfig.ModelDef(name, file, size, classes, score, raise);
    }

    private static VideoConfig.Raise raise(Doc doc, Node yaml, String path, List<String> classes) {
        MapReader m = doc.map(yaml, path, "object", "kind", "level", "purpose", "dwell");
        String object = m.required("object");
        if (object != null && !classes.isEmpty() && !classes.contains(object)) {
            doc.error(m.at("object"), m.path("object"), "'" + object + "' is not one of the model's classes: "
                    + String.join(", ", classes));
            object = null;
        }
        FindingKind kind = m.parsed("kind", t -> FindingKind.valueOf(t.strip().toUpperCase(Locale.ROOT).replace('-', '_')),
                "a video finding kind (e.g. ppe-missing, smoking, phone-use, fire, smoke, intrusion)");
        if (kind != null && kind.category() != FindingKind.Category.VIDEO) {
            doc.error(m.at("kind"), m.path("kind"), "not a video finding kind");
            kind = null;
        }
        if (kind == null && !m.has("kind")) {
            m.missing("kind");
        }
        Level level = m.parsed("level", Level::parse, "a level (blue, yellow, orange, red)");
        if (level == null && !m.has("level")) {
            level = Level.YELLOW;
        }
        ZonePurpose purpose = m.has("purpose")
                ? m.parsed("purpose", ZonePurpose::parse, "a zone purpose (restricted, danger, post, crowd, ppe)") : null;
        Duration dwell = m.duration("dwell", Duration.ofSeconds(2));
        if (object == null || kind == null || level == null || (m.has("purpose") && purpose == null) || dwell == null) {
            return null;
        }
        return new VideoConfig.Raise(object, kind, level, purpose, dwell);
    }
}
