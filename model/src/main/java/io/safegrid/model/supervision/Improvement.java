package io.safegrid.model.supervision;

import java.util.List;

/** A check item that failed at several enterprises: a point for the next plan (改进). */
public record Improvement(CheckItem item, int failures, int enterprises, List<String> taskIds) {
    public Improvement {
        taskIds = List.copyOf(taskIds);
    }
}
