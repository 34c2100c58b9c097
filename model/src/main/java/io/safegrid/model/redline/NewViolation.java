package io.safegrid.model.redline;

import io.safegrid.model.grid.GridPath;
import java.time.Instant;

/**
 * A violation as recorded: by an enterprise at {@code site}, and by a named worker when {@code worker}
 * is given. {@code sourceRef} names the task item, hazard or alarm it came from.
 */
public record NewViolation(GridPath site, String worker, ViolationSource source, String sourceRef, Severity severity,
                           String description, Instant at) {
}
