package io.safegrid.model.hazard;

import java.util.List;

/** One page of a query's hazards, and how many match in all. */
public record HazardPage(List<Hazard> items, long total, int offset, int limit) {
    public HazardPage {
        items = List.copyOf(items);
    }
}
