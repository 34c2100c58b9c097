package io.safegrid.model.device;

/**
 * Where a camera's video comes from.
 *
 * @param mode PULL: SafeGrid opens {@code url} (rtsp://, http://…mjpeg, .m3u8, a file);
 *             PUSH: an edge box connects to the push port and names the camera
 * @param url  the address to pull; null for PUSH
 * @param rtspTransport {@code tcp} or {@code udp} for RTSP; null otherwise
 */
public record CameraSource(Mode mode, String url, String rtspTransport) {
    public enum Mode { PULL, PUSH }
}
