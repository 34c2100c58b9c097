package io.safegrid.model.redline;

import io.safegrid.model.grid.GridPath;
import java.time.Instant;

/** A recorded violation (违法违规行为). */
public record Violation(String id, GridPath site, String worker, ViolationSource source, String sourceRef,
                        Severity severity, String description, Instant at, String recordedBy, Instant recordedAt) {
}
