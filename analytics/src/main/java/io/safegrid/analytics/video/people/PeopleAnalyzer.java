package io.safegrid.analytics.video.people;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

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
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.HOGDescriptor;

/**
 * People, found with OpenCV's built-in HOG pedestrian detector (no downloaded weights), judged
 * per zone: somebody in a danger zone, nobody at a post, too many in a crowd zone. HOG is costly,
 * so it runs only when the motion gate saw something move, and then only on the full picture
 * cropped around the moved regions (with a margin of half a person's size); every
 * {@code recheckSeconds} it looks at the whole picture. People found earlier outside the crops
 * are kept: they did not move, and a still picture has the same people in it.
 */
public final class PeopleAnalyzer implements FrameAnalyzer, SeesPeople {

    /**
     * @param detectHeight  pictures lower than this are enlarged first (HOG's window is 64x128)
     * @param hitThreshold  SVM margin a window needs; higher means fewer, surer people
     * @param dangerDwell   default seconds in a danger zone
     * @param postAbsence   default seconds a post may be empty
     * @param crowdDwell    default seconds a zone may be over its limit
     * @param wholeShare    when the crops would cover more than this share of the picture, one
     *                      whole-picture pass is cheaper than several overlapping ones
     */
    public record Params(int detectHeight, double hitThreshold, double recheckSeconds, double dangerDwell,
                         double postAbsence, double crowdDwell, double clearAfter, double wholeShare) {
        public static Params defaults() { return new Params(360, 0.3, 10, 1.0, 300, 5, 3, 0.5); }
    }

    private final Params params;
    private final List<Zone> zones;
    private final List<Debounce> states = new ArrayList<>();
    private HOGDescriptor hog;
    private List<Box> people = List.of();
    private double lastRun = Double.NEGATIVE_INFINITY;
    private long wholeRuns;
    private long cropRuns;

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
    @Override
    public List<Box> people() { return people; }

    @Override
    public String detector() { return "hog"; }

    @Override
    public List<Detection> analyze(AnalysisFrame frame) {
        if (zones.isEmpty()) {
            return List.of();
        }
        if (frame.time() - lastRun >= params.recheckSeconds()) {
            people = detect(frame.bgr(), null);
            lastRun = frame.time();
            wholeRuns++;
        } else if (frame.motion().moving()) {
            people = detectWhereMoved(frame);
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

    /** Whole-picture passes and crop passes so far (a crop pass may be several crops). */
    public long wholeRuns() { return wholeRuns; }

    public long cropRuns() { return cropRuns; }

    private List<Box> detectWhereMoved(AnalysisFrame frame) {
        int w = frame.width();
        int h = frame.height();
        List<Box> moved = frame.motion().regionsIn(w, h);
        if (moved.isEmpty()) {
            wholeRuns++;
            return detect(frame.bgr(), null);   // the gate could not say where
        }
        // HOG needs its 64x128 window (and 8 px padding) inside the crop, at the detector's scale
        double scale = scale(h);
        int minW = (int) Math.ceil(80 / scale);
        int minH = (int) Math.ceil(144 / scale);
        List<Box> crops = new ArrayList<>();
        for (Box m : moved) {
            // a moving arm or pair of legs is part of a person up to a body length away
            int mx = Math.max(m.width() / 2, minW / 2);
            int my = Math.max(m.height() / 2, minH / 2);
            Box c = clip(new Box(m.x() - mx, m.y() - my, m.width() + 2 * mx, m.height() + 2 * my), w, h);
            for (int i = 0; i < crops.size(); i++) {
                if (overlaps(crops.get(i), c)) {
                    c = c.union(crops.remove(i));
                    i = -1;
                }
            }
            crops.add(c);
        }
        long cropArea = crops.stream().mapToLong(Box::area).sum();
        if (cropArea > params.wholeShare() * w * h) {
            wholeRuns++;
            lastRun = frame.time();
            return detect(frame.bgr(), null);
        }
        cropRuns++;
        List<Box> found = new ArrayList<>();
        for (Box p : people) {
            if (crops.stream().noneMatch(c -> overlaps(c, p))) {
                found.add(p);   // did not move: still there
            }
        }
        for (Box c : crops) {
            found.addAll(detect(frame.bgr(), c));
        }
        return found;
    }

    private static boolean overlaps(Box a, Box b) {
        return a.x() < b.x() + b.width() && b.x() < a.x() + a.width()
                && a.y() < b.y() + b.height() && b.y() < a.y() + a.height();
    }

    private static Box clip(Box b, int w, int h) {
        int x0 = Math.max(0, b.x());
        int y0 = Math.max(0, b.y());
        int x1 = Math.min(w, b.x() + b.width());
        int y1 = Math.min(h, b.y() + b.height());
        return new Box(x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0));
    }

    private double scale(int rows) {
        return rows < params.detectHeight() ? params.detectHeight() / (double) rows : 1.0;
    }

    /** People in {@code crop} of the picture (null: all of it), in picture pixels. */
    private List<Box> detect(Mat bgr, Box crop) {
        if (hog == null) {
            hog = new HOGDescriptor();
            try (Mat svm = new Mat(HOGDescriptor.getDefaultPeopleDetector())) {
                hog.setSVMDetector(svm);
            }
        }
        double scale = scale(bgr.rows());
        Box c = crop == null ? new Box(0, 0, bgr.cols(), bgr.rows()) : crop;
        List<Box> found = new ArrayList<>();
        try (Rect r0 = new Rect(c.x(), c.y(), c.width(), c.height()); Mat src = new Mat(bgr, r0); Mat img = new Mat();
             RectVector rects = new RectVector(); Size stride = new Size(8, 8); Size pad = new Size(8, 8)) {
            if (scale > 1.0) {
                try (Size s = new Size((int) Math.round(c.width() * scale), (int) Math.round(c.height() * scale))) {
                    resize(src, img, s, 0, 0, INTER_LINEAR);
                }
            } else {
                src.copyTo(img);
            }
            if (img.cols() < 64 || img.rows() < 128) {
                return found;   // smaller than the detector's window: nobody fits
            }
            hog.detectMultiScale(img, rects, new double[0], params.hitThreshold(), stride, pad, 1.05, 2, false);
            for (long i = 0; i < rects.size(); i++) {
                Rect r = rects.get(i);
                found.add(new Box(c.x() + (int) (r.x() / scale), c.y() + (int) (r.y() / scale), (int) (r.width() / scale),
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
