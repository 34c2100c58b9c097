package io.safegrid.model.assessment;

import io.safegrid.model.grid.GridPath;
import java.time.Instant;

/** A production-safety accident recorded by a county user; a configured severity vetoes the scores above its site. */
public record Accident(String id, GridPath site, AccidentSeverity severity, int deaths, Instant occurredAt,
                       String description, String recordedBy, Instant recordedAt) {
}
