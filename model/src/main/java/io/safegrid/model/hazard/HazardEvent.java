package io.safegrid.model.hazard;

import java.time.Instant;
import java.util.Map;

/**
 * One line of a hazard's audit trail: who did what when, and which fields changed (old → new).
 *
 * @param changes field name → {@code [old, new]} (old may be null)
 * @param note    the actor's note, or for a notice whom it went to
 */
public record HazardEvent(long seq, String hazardId, Type type, String user, Instant at, HazardState from,
                          HazardState to, Map<String, String[]> changes, String note) {
    public enum Type {
        REPORTED, ASSIGNED, RECTIFYING, SUBMITTED, ACCEPTED, REJECTED, LISTED, PHOTO, NOTICE
    }

    public HazardEvent {
        changes = changes == null ? Map.of() : Map.copyOf(changes);
    }
}
