package io.safegrid.model.hazard;

import java.time.Instant;

/**
 * A stored photo of a hazard, without its bytes.
 *
 * @param stage {@code before} (as found), {@code after} (as rectified) or {@code evidence} (carried from an alarm or finding)
 */
public record PhotoRef(String id, String stage, String contentType, int bytes, String user, Instant at) {
}
