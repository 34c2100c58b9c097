package io.safegrid.model.hazard;

import io.safegrid.model.grid.GridPath;
import java.time.Instant;

/**
 * 挂牌督办: a major hazard listed for supervision by a county or township.
 *
 * @param level the grid node that listed it: only users at that level may accept the hazard
 */
public record Supervision(String orderNo, GridPath level, String listedBy, Instant listedAt, Instant deadline) {
}
