package io.safegrid.model.supervision;

import java.time.Instant;

/** 复查: the inspector's verdict on the rectification of a hazard an inspection raised. */
public record Reinspection(String taskId, int item, String hazardId, boolean accepted, String note, String by, Instant at) {
}
