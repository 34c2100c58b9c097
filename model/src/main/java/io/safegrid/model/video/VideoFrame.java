package io.safegrid.model.video;

import io.safegrid.model.grid.GridPath;
import java.time.Instant;

/**
 * A decoded picture from one camera, as packed 8-bit BGR rows ({@code width * height * 3} bytes).
 * <p>In one process the array is handed over, not copied again. Frames are the one thing the
 * bus may drop under load: a stale picture is worth less than a fresh one.
 *
 * @param sequence   frame number since the stream (re)started
 * @param streamTime position in the stream, seconds (video timestamp), for replay and files
 */
public record VideoFrame(String cameraId, GridPath site, Instant time, long sequence, double streamTime,
                         int width, int height, byte[] bgr) {
    public VideoFrame {
        if (bgr.length != width * height * 3) {
            throw new IllegalArgumentException("frame " + width + "x" + height + " needs " + (width * height * 3)
                    + " bytes, got " + bgr.length);
        }
    }
}
