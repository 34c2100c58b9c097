package io.safegrid.node.eval;

import io.safegrid.model.device.Point;
import io.safegrid.model.device.Zone;
import io.safegrid.model.device.ZonePurpose;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * What {@code safegrid eval} runs and holds the analyzers to: the analysis settings every clip is
 * watched with, each clip's zones (with the truth of its restricted zones), and the targets.
 * Read from the evaluation file kept in the repository ({@link #DEFAULT}).
 */
public record EvalPlan(double fps, int width, Set<String> analyzers, double settleSeconds, Map<String, KindTarget> kinds,
                       PeopleTarget people, List<ClipSetup> clips) {

    /** The evaluation file on the class path. */
    public static final String DEFAULT = "/eval/footage.yaml";

    /**
     * @param falsePerHour findings allowed per camera-hour on clips labelled without the condition
     * @param found        whether every clip labelled with the condition must get a finding
     * @param notEnforced  clips reported but not held to {@code found}
     */
    public record KindTarget(double falsePerHour, boolean found, Set<String> notEnforced) {
    }

    /**
     * @param occupied             share of labelled moments with people reported occupied
     * @param withinOne            share of labelled moments (at most {@code upTo} people) counted within ±1
     * @param crowding             whether crowding must fire on every clip whose truth exceeds the limit
     * @param unenforcedDetector   the people detector these targets are not checked for (HOG, the fallback)
     * @param reportOnly           targets only reported (not yet met): {@code occupied}, {@code within-one},
     *                             or a clip's file name for its crowding check
     */
    public record PeopleTarget(double occupied, double withinOne, int upTo, boolean crowding, String unenforcedDetector,
                               Set<String> reportOnly) {
        public boolean enforcedFor(String detector) {
            return !unenforcedDetector.equalsIgnoreCase(detector);
        }

        public boolean enforced(String detector, String target) {
            return enforcedFor(detector) && !reportOnly.contains(target);
        }
    }

    /**
     * @param counted    the crowd zone people are counted in (the whole picture), or null
     * @param cleanZones restricted zones nobody enters in the clip
     */
    public record ClipSetup(String file, List<Zone> zones, Zone counted, Set<String> cleanZones) {
    }

    public static EvalPlan load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        }
    }

    public static EvalPlan loadDefault() throws IOException {
        try (InputStream in = EvalPlan.class.getResourceAsStream(DEFAULT)) {
            if (in == null) {
                throw new IOException(DEFAULT + " is not on the class path");
            }
            return parse(in, DEFAULT);
        }
    }

    @SuppressWarnings("unchecked")
    static EvalPlan parse(InputStream in, String name) {
        Object root = new Load(LoadSettings.builder().setLabel(name).build()).loadFromInputStream(in);
        try {
            Map<String, Object> m = (Map<String, Object>) root;
            Map<String, Object> analysis = map(m, "analysis");
            Map<String, Object> targets = map(m, "targets");
            Map<String, KindTarget> kinds = new LinkedHashMap<>();
            for (String kind : List.of("fire", "smoke", "intrusion")) {
                Map<String, Object> t = map(targets, kind);
                kinds.put(kind, new KindTarget(number(t, "false-per-hour", 0), Boolean.TRUE.equals(t.get("found")),
                        new LinkedHashSet<>((List<String>) t.getOrDefault("not-enforced", List.of()))));
            }
            Map<String, Object> p = map(targets, "people");
            PeopleTarget people = new PeopleTarget(number(p, "occupied", 0.9), number(p, "within-one", 0.8),
                    (int) number(p, "up-to", 8), Boolean.TRUE.equals(p.get("crowding")),
                    String.valueOf(p.getOrDefault("enforced-unless-detector", "hog")),
                    new LinkedHashSet<>((List<String>) p.getOrDefault("not-enforced", List.of())));
            List<ClipSetup> clips = new ArrayList<>();
            for (Map.Entry<String, Object> c : map(m, "clips").entrySet()) {
                clips.add(clip(c.getKey(), (Map<String, Object>) c.getValue()));
            }
            return new EvalPlan(number(analysis, "fps", 5), (int) number(analysis, "width", 640),
                    new LinkedHashSet<>((List<String>) analysis.get("analyzers")), number(m, "settle-seconds", 3), kinds,
                    people, clips);
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": not an evaluation file (" + e.getMessage() + ")", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static ClipSetup clip(String file, Map<String, Object> c) {
        List<Zone> zones = new ArrayList<>();
        Zone counted = null;
        Set<String> clean = new LinkedHashSet<>();
        for (Object o : (List<Object>) c.getOrDefault("zones", List.of())) {
            Map<String, Object> z = (Map<String, Object>) o;
            List<Point> polygon = new ArrayList<>();
            for (Object pt : (List<Object>) z.get("polygon")) {
                List<Number> xy = (List<Number>) pt;
                polygon.add(new Point(xy.get(0).doubleValue(), xy.get(1).doubleValue()));
            }
            ZonePurpose purpose = ZonePurpose.parse(String.valueOf(z.get("purpose")));
            Zone zone = new Zone(String.valueOf(z.get("name")), purpose, polygon, (int) number(z, "max-people", 0),
                    number(z, "dwell", 0));
            zones.add(zone);
            if (purpose == ZonePurpose.CROWD && counted == null) {
                counted = zone;
            }
            if (purpose == ZonePurpose.RESTRICTED && Boolean.FALSE.equals(z.get("intruders"))) {
                clean.add(zone.name());
            }
        }
        return new ClipSetup(file, zones, counted, clean);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("'" + key + "' is missing or not a map");
        }
        return (Map<String, Object>) v;
    }

    private static double number(Map<String, Object> m, String key, double otherwise) {
        Object v = m.get(key);
        return v instanceof Number n ? n.doubleValue() : otherwise;
    }
}
