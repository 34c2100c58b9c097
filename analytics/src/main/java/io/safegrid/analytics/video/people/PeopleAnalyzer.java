package io.safegrid.analytics.video.people;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.safegrid.analytics.video.AnalysisFrame;
import io.safegrid.analytics.video.Blobs;
import io.safegrid.analytics.video.Box;
import io.safegrid.analytics.video.Debounce;
import io.safegrid.analytics.video.Detection;
import io.safegrid.analytics.video.FrameAnalyzer;
import io.safegrid.model.Level;
import io.safegrid.model.device.Zone;
import io.safegrid.model.device.ZonePurpose;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.FindingKind;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.HOGDescriptor;

/**
 * People, found with OpenCV's built-in HOG pedestrian detector (no downloaded weights), judged
 * per zone: somebody in a danger zone, nobody at a post, too many in a crowd zone. HOG is costly,
 * so it runs only when the motion gate saw something move, or every {@code recheckSeconds}
 * otherwise; between runs the last count holds (a still picture has the same people in it).
 */
public final class PeopleAnalyzer implements FrameAnalyzer {

    /**
     * @param detectHeight  pictures lower than this are enlarged first (HOG's window is 64x128)
     * @param hitThreshold  SVM margin a window needs; higher means fewer, surer people
     * @param dangerDwell   default seconds in a danger zone
     * @param postAbsence   default seconds a post may be empty
     * @param crowdDwell    default seconds a zone may be over its limit
     */
    public record Params(int detectHeight, double hitThreshold, double recheckSeconds, double dangerDwell,
                         double postAbsence, double crowdDwell, double clearAfter) {
        public static Params defaults() { return new Params(360, 0.3, 10, 1.0, 300, 5, 3); }
    }

    private final Params params;
    private final List<Zone> zones;
    private final List<Debounce> states = new ArrayList<>();
    private HOGDescriptor hog;
    private List<Box> people = List.of();
    private double lastRun = Double.NEGATIVE_INFINITY;

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

    @Override
    public String name() { return "people"; }

    /** The people found in the last detector run, in analysis pixels. */
    public List<Box> people() { return people; }

    @Override
    public List<Detection> analyze(AnalysisFrame frame) {
        if (zones.isEmpty()) {
            return List.of();
        }
        if (frame.motion().moving() || frame.time() - lastRun >= params.recheckSeconds()) {
            people = detect(frame.bgr());
            lastRun = frame.time();
        }
        List<Detection> out = new ArrayList<>();
        for (int i = 0; i < zones.size(); i++) {
            Zone zone = zones.get(i);
            List<Box> inside = people.stream().filter(b -> Blobs.inZone(b, zone, frame.width(), frame.height())).toList();
            Box box = inside.stream().reduce(Box::union).orElse(null);
            boolean present;
            FindingKind kind;
            Level level;
            String what;
            switch (zone.purpose()) {
                case DANGER -> {
                    present = !inside.isEmpty();
                    kind = FindingKind.PERSON_IN_DANGER_ZONE;
                    level = Level.ORANGE;
                    what = inside.size() + " person(s) in danger zone '" + zone.name() + "'";
                }
                case POST -> {
                    present = inside.isEmpty();
                    kind = FindingKind.POST_UNATTENDED;
                    level = Level.YELLOW;
                    what = "nobody at post '" + zone.name() + "'";
                }
                default -> {
                    present = inside.size() > zone.maxPeople();
                    kind = FindingKind.CROWDING;
                    level = Level.YELLOW;
                    what = inside.size() + " people in '" + zone.name() + "', limit " + zone.maxPeople();
                }
            }
            switch (states.get(i).update(present, frame.time())) {
                case STARTED -> out.add(new Detection(kind, level, Condition.ACTIVE, zone, box, inside.size(),
                        zone.purpose() == ZonePurpose.CROWD ? zone.maxPeople() : Double.NaN, what, frame.time()));
                case ENDED -> out.add(new Detection(kind, level, Condition.CLEARED, zone, box, inside.size(),
                        zone.purpose() == ZonePurpose.CROWD ? zone.maxPeople() : Double.NaN,
                        kind.labelEn() + " ended in '" + zone.name() + "'", frame.time()));
                case NONE -> { }
            }
        }
        return out;
    }

    private List<Box> detect(Mat bgr) {
        if (hog == null) {
            hog = new HOGDescriptor();
            try (Mat svm = new Mat(HOGDescriptor.getDefaultPeopleDetector())) {
                hog.setSVMDetector(svm);
            }
        }
        double scale = bgr.rows() < params.detectHeight() ? params.detectHeight() / (double) bgr.rows() : 1.0;
        List<Box> found = new ArrayList<>();
        try (Mat img = new Mat(); RectVector rects = new RectVector(); Size stride = new Size(8, 8);
             Size pad = new Size(8, 8)) {
            if (scale > 1.0) {
                try (Size s = new Size((int) Math.round(bgr.cols() * scale), params.detectHeight())) {
                    resize(bgr, img, s, 0, 0, INTER_LINEAR);
                }
            } else {
                bgr.copyTo(img);
            }
            hog.detectMultiScale(img, rects, new double[0], params.hitThreshold(), stride, pad, 1.05, 2, false);
            for (long i = 0; i < rects.size(); i++) {
                Rect r = rects.get(i);
                found.add(new Box((int) (r.x() / scale), (int) (r.y() / scale), (int) (r.width() / scale),
                        (int) (r.height() / scale)));
            }
        }
        return found;
    }

    @Override
    public void close() {
        if (hog != null) {
            hog.close();
        }
    }
}
