package io.safegrid.config.yaml;

import io.safegrid.config.AssessmentConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;

/** {@code assessment:}, the accident store, the indicator weights, the veto and the scheduled reports; left out, the defaults. */
final class AssessmentSection {
    private AssessmentSection() {
    }

    static AssessmentConfig read(Doc doc, Node yaml) {
        AssessmentConfig d = AssessmentConfig.defaults();
        MapReader m = doc.map(yaml, "assessment", "store", "weights", "ack-target", "veto", "reports");
        MapReader store = m.map("store", "url", "user", "password");
        String url = store.string("url", null);
        if (url != null && !url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
            doc.error(store.at("url"), store.path("url"), "expected a jdbc:postgresql: or jdbc:h2: URL");
        }
        Map<String, Double> weights = new LinkedHashMap<>(d.weights());
        if (m.has("weights")) {
            MapReader w = m.map("weights", AssessmentConfig.INDICATORS.toArray(String[]::new));
            for (String id : AssessmentConfig.INDICATORS) {
                Double v = w.number(id);
                if (v != null && v < 0) {
                    doc.error(w.at(id), w.path(id), "a weight is 0 or more");
                } else if (v != null) {
                    weights.put(id, v);
                }
            }
        }
        Duration ackTarget = m.duration("ack-target", d.ackTarget());
        if (ackTarget == null || ackTarget.isZero() || ackTarget.isNegative()) {
            doc.error(m.at("ack-target"), m.path("ack-target"), "must be above 0");
            ackTarget = d.ackTarget();
        }
        MapReader veto = m.map("veto", "accidents", "score");
        List<String> severities = veto.has("accidents") ? veto.strings("accidents") : d.vetoSeverities();
        for (String s : severities) {
            if (!AssessmentConfig.SEVERITIES.contains(s)) {
                doc.error(veto.at("accidents"), veto.path("accidents"), "unknown severity '" + s + "' (fatal, serious, minor)");
            }
        }
        Double score = veto.number("score");
        if (score != null && (score < 0 || score > 100)) {
            doc.error(veto.at("score"), veto.path("score"), "a score is 0 to 100");
            score = null;
        }
        List<AssessmentConfig.ScheduledReport> reports = new ArrayList<>();
        List<Node> list = m.list("reports");
        for (int i = 0; i < list.size(); i++) {
            MapReader r = doc.map(list.get(i), m.path("reports") + "[" + i + "]", "node", "spans", "hour");
            String node = r.required("node");
            List<String> spans = r.has("spans") ? r.strings("spans") : AssessmentConfig.SPANS;
            for (String s : spans) {
                if (!AssessmentConfig.SPANS.contains(s)) {
                    doc.error(r.at("spans"), r.path("spans"), "unknown span '" + s + "' (daily, weekly, monthly)");
                }
            }
            int hour = r.integer("hour", 8, 0, 23);
            if (node != null) {
                reports.add(new AssessmentConfig.ScheduledReport(node, spans.stream()
                        .filter(AssessmentConfig.SPANS::contains).toList(), hour));
            }
        }
        return new AssessmentConfig(url, store.string("user", null), store.string("password", null), weights, ackTarget,
                severities.stream().filter(AssessmentConfig.SEVERITIES::contains).toList(),
                score == null ? d.vetoScore() : score, reports);
    }
}
