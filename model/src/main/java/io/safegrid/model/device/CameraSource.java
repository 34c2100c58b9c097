package io.safegrid.model.device;

import java.time.Duration;

/**
 * Where a camera's video comes from.
 *
 * @param mode PULL: SafeGrid opens {@code url} (rtsp://, http://…mjpeg, .m3u8, a file);
 *             PUSH: an edge box connects to the push port and names the camera;
 *             SNAPSHOT: the camera (or its edge box) uploads JPEG pictures over HTTP
 * @param url  the address to pull; null for PUSH and SNAPSHOT
 * @param rtspTransport {@code tcp} or {@code udp} for RTSP; null otherwise
 * @param snapshotInterval SNAPSHOT only: how often the camera sends a picture, so that a missing
 *             one counts as video loss; null otherwise
 */
public record CameraSource(Mode mode, String url, String rtspTransport, Duration snapshotInterval) {
    public enum Mode { PULL, PUSH, SNAPSHOT }

    /** A streaming source (PULL or PUSH), which has no snapshot interval. */
    public CameraSource(Mode mode, String url, String rtspTransport) {
        this(mode, url, rtspTransport, null);
    }
}
