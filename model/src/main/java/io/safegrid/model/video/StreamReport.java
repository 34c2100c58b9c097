package io.safegrid.model.video;

import io.safegrid.model.grid.GridPath;
import java.time.Instant;

/**
 * What the camera intake sees of one camera's stream, reported every second while it reads the camera:
 * how long since its last picture. Judging that as video loss is analytics' work, not the intake's.
 *
 * @param silentSeconds since the last picture, or since the intake began reading the camera when none came
 * @param everReceived  whether a picture has come since the intake began reading the camera
 * @param gone          the intake no longer reads this camera (taken out of the configuration, or now
 *                      read by another node): its last report
 */
public record StreamReport(String cameraId, GridPath site, Instant time, double silentSeconds, boolean everReceived,
                           boolean gone) {
}
