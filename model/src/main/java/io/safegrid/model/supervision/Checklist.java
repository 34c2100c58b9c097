package io.safegrid.model.supervision;

import java.util.List;

/** A checklist template (coal mine, hazardous chemicals, construction site, fireworks, general). */
public record Checklist(String id, List<String> industries, List<CheckItem> items) {
    public Checklist {
        industries = List.copyOf(industries);
        items = List.copyOf(items);
    }
}
