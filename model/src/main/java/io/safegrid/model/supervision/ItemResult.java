package io.safegrid.model.supervision;

import io.safegrid.model.hazard.PhotoRef;
import java.time.Instant;
import java.util.List;

/**
 * One check item of a task as the inspector left it.
 *
 * @param hazardId the hazard raised from it in the register, or null
 */
public record ItemResult(int no, CheckItem item, Outcome outcome, String note, List<PhotoRef> photos, String hazardId,
                         String checkedBy, Instant checkedAt) {
    public ItemResult {
        photos = photos == null ? List.of() : List.copyOf(photos);
    }
}
