package io.safegrid.model.supervision;

import io.safegrid.model.hazard.PhotoUpload;
import java.util.List;

/** What an inspector records for one item: the outcome, a note (what was wrong or put right), photos. */
public record ItemCheck(Outcome outcome, String note, List<PhotoUpload> photos) {
    public ItemCheck {
        photos = photos == null ? List.of() : List.copyOf(photos);
    }
}
