package io.safegrid.model.hazard;

import io.safegrid.model.grid.GridPath;
import java.util.List;

/** What a report says; the register adds id, state, time and reporter. */
public record NewHazard(GridPath site, List<GridPath> departments, String place, HazardSource source, String sourceRef,
                        HazardGrade grade, String category, String description, List<PhotoUpload> photos) {
    public NewHazard {
        departments = departments == null ? List.of() : List.copyOf(departments);
        photos = photos == null ? List.of() : List.copyOf(photos);
    }
}
