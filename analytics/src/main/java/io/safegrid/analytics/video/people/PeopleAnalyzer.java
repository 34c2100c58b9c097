package io.safegrid.analytics.video.people;

import io.safegrid.analytics.video.AnalysisFrame;
import io.safegrid.analytics.video.Blobs;
import io.safegrid.analytics.video.Box;
import io.safegrid.analytics.video.Debounce;
import io.safegrid.analytics.video.Detection;
import io.safegrid.analytics.video.FrameAnalyzer;
import io.safegrid.analytics.video.SeesPeople;
import io.safegrid.model.Level;
import io.safegrid.model.device.Zone;
import io.safegrid.model.device.ZonePurpose;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.FindingKind;
import java.util.ArrayList;
import java.util.List;

/**
 * People judged per zone, on the camera's tracked objects (see {@code ObjectStage}): somebody in a
 * danger zone (or the zone's configured object class), nobody at a post, too many in a crowd zone.
 * Counting tracks, not one frame's detections, a person the detector misses for a pass or two
 * (hidden, turned away) is still counted, so a finding neither flickers nor clears early.
 */
public final class PeopleAnalyzer implements FrameAnalyzer, SeesPeople {

    /**
     * @param dangerDwell   default seconds in a danger zone
     * @param postAbsence   default seconds a post may be empty
     * @param crowdDwell    default seconds a zone may be over its limit
     * @param clearAfter    seconds the condition must be gone before the finding clears
     */
    public record Params(double dangerDwell, double postAbsence, double crowdDwell, double clearAfter) {
        public static Params defaults() { return new Params(1.0, 300, 5, 3); }
    }

    private final Params params;
    private final List<Zone> zones;
    private final List<Debounce> states = new ArrayList<>();
    private List<Box> people = List.of();

    public PeopleAnalyzer(List<Zone> cameraZones, Params params) {
        this.params = params;
        this.zones = cameraZones.stream().filter(z -> z.purpose() == ZonePurpose.DANGER
                || z.purpose() == ZonePurpose.POST || z.purpose() == ZonePurpose.CROWD).toList();
        for (Zone z : zones) {
            double dwell = z.dwellSeconds() > 0 ? z.dwellSeconds() : switch (z.purpose()) {
                case DANGER -> params.dangerDwell();
                case POST -> params.postAbsence();
                default -> params.crowdDwell();
            };
            states.add(new Debounce(dwell, params.clearAfter()));
        }
    }

    /** Whether this camera's zones ask anything of it. */
    public boolean hasZones() { return !zones.isEmpty(); }

    @Override
    public String name() { return "people"; }

    /** The people counted at the last frame (tracked, in analysis pixels). */
    @Override
    public List<Box> people() { return people; }

    @Override
    public List<Detection> analyze(AnalysisFrame frame) {
        if (zones.isEmpty()) {
            return List.of();
        }
        people = frame.objects(Zone.PERSON).stream().map(io.safegrid.analytics.video.track.Track::box).toList();
        List<Detection> out = new ArrayList<>();
        for (int i = 0; i < zones.size(); i++) {
            Zone zone = zones.get(i);
            // a danger zone counts its configured class (people when it names none or "motion")
            List<Box> candidates = zone.purpose() == ZonePurpose.DANGER && !Zone.PERSON.equals(zone.object()) && !zone.motionOnly()
                    ? frame.objects(zone.object()).stream().map(io.safegrid.analytics.video.track.Track::box).toList() : people;
            List<Box> inside = candidates.stream().filter(b -> Blobs.inZone(b, zone, frame.width(), frame.height())).toList();
            Box box = inside.stream().reduce(Box::union).orElse(null);
            boolean present;
            FindingKind kind;
            Level level;
            String key;
            switch (zone.purpose()) {
                case DANGER -> {
                    present = !inside.isEmpty();
                    kind = FindingKind.PERSON_IN_DANGER_ZONE;
                    level = Level.ORANGE;
                    key = "video.danger";
                }
                case POST -> {
                    present = inside.isEmpty();
                    kind = FindingKind.POST_UNATTENDED;
                    level = Level.YELLOW;
                    key = "video.post";
                }
                default -> {
                    present = inside.size() > zone.maxPeople();
                    kind = FindingKind.CROWDING;
                    level = Level.YELLOW;
                    key = "video.crowd";
                }
            }
            switch (states.get(i).update(present, frame.time())) {
                case STARTED -> out.add(Detection.said(kind, level, Condition.ACTIVE, zone, box, inside.size(),
                        zone.purpose() == ZonePurpose.CROWD ? zone.maxPeople() : Double.NaN, frame.time(), key,
                        java.util.Map.of("count", Integer.toString(inside.size()), "zone", zone.name(),
                                "limit", Integer.toString(zone.maxPeople()), "object",
                                Detection.object(Zone.PERSON.equals(zone.object()) || zone.motionOnly() ? Zone.PERSON : zone.object()))));
                case ENDED -> out.add(Detection.said(kind, level, Condition.CLEARED, zone, box, inside.size(),
                        zone.purpose() == ZonePurpose.CROWD ? zone.maxPeople() : Double.NaN, frame.time(),
                        "video.ended.zone", java.util.Map.of("kind", "@kind." + kind.name(), "zone", zone.name())));
                case NONE -> { }
            }
        }
        return out;
    }

    @Override
    public void close() { }
}
