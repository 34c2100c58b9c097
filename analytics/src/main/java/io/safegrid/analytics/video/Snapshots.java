package io.safegrid.analytics.video;

import io.safegrid.model.device.Zone;
import io.safegrid.picture.Mark;
import io.safegrid.picture.Overlay;
import io.safegrid.picture.Pictures;
import java.util.List;
import java.util.Locale;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * JPEG evidence: the picture with the camera's zones, the finding's zone and box drawn by the same
 * {@link Overlay} as the console's live view, so an alarm's picture and the live picture agree.
 */
public final class Snapshots {
    private static final int QUALITY = 80;

    private Snapshots() {
    }

    public static byte[] render(Mat bgr, List<Zone> zones, Detection d) {
        try (Mat canvas = bgr.clone()) {
            Box b = d.box();
            Mark mark = Mark.of(d.kind(), d.zone() == null ? null : d.zone().name(),
                    b == null ? null : new int[] {b.x(), b.y(), b.width(), b.height()});
            String caption = String.format(Locale.ROOT, "%s%s %s t=%.1fs", d.kind().labelEn(),
                    d.zone() == null ? "" : " [" + d.zone().name() + "]", d.condition().name().toLowerCase(Locale.ROOT),
                    d.time());
            Overlay.draw(canvas, zones, List.of(mark), caption);
            return Pictures.jpeg(canvas, QUALITY);
        }
    }
}
