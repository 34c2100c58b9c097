package io.safegrid.model.redline;

import io.safegrid.model.grid.GridPath;
import java.util.List;

/** An enterprise that meets a rule and is not listed: the violations that make it so. */
public record Candidate(GridPath site, String ruleId, List<String> violationIds) {
    public Candidate {
        violationIds = List.copyOf(violationIds);
    }
}
