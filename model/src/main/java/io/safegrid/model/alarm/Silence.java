package io.safegrid.model.alarm;

import io.safegrid.model.grid.GridPath;
import java.time.Instant;

/**
 * A silence or maintenance window (屏蔽/检修): findings of a device, or of anything at or below a grid
 * node, still update their alarms but notify nobody until it expires or is ended.
 *
 * @param deviceId one device, or null
 * @param node     a grid subtree, or null (one of the two is set)
 * @param endedAt  when somebody ended it early, or null
 */
public record Silence(String id, String deviceId, GridPath node, String createdBy, String reason, Instant createdAt,
                      Instant expiresAt, Instant endedAt, String endedBy) {

    public boolean isActive(Instant now) {
        return endedAt == null && now.isBefore(expiresAt);
    }

    public boolean matches(String sourceId, GridPath site) {
        return (deviceId != null && deviceId.equals(sourceId)) || (node != null && site != null && site.isWithin(node));
    }
}
