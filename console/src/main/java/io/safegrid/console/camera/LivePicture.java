package io.safegrid.console.camera;

import io.safegrid.model.device.Camera;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.video.VideoFrame;
import io.safegrid.picture.Mark;
import io.safegrid.picture.Overlay;
import io.safegrid.picture.Pictures;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A camera's live picture for the live view and the wall: the frame with its zones and recent
 * findings drawn by the same {@link Overlay} as alarm evidence, so both show the same colours.
 */
public final class LivePicture {
    private static final int QUALITY = 75;

    private LivePicture() {
    }

    /** The frame with zones, findings and a caption; JPEG bytes. */
    public static byte[] render(VideoFrame f, Camera camera, List<Finding> detections, String caption) {
        try (Mat canvas = Pictures.bgr(f)) {
            List<Mark> marks = detections.stream().map(d -> Mark.of(d, canvas.cols(), canvas.rows())).toList();
            Overlay.draw(canvas, camera.zones(), marks, caption);
            return Pictures.jpeg(canvas, QUALITY);
        }
    }

    /** A grey picture saying why there is none yet. */
    public static byte[] placeholder(Camera camera, String text) {
        int w = camera.analysis() == null ? 640 : camera.analysis().width();
        int h = camera.analysis() == null ? 360 : camera.analysis().height();
        try (Mat canvas = Overlay.placeholder(w, h, camera.zones(), text, camera.id())) {
            return Pictures.jpeg(canvas, QUALITY);
        }
    }
}
