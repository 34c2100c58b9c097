package io.safegrid.model.alarm;

import java.util.List;

/** One page of a query's alarms, and how many match in all. */
public record AlarmPage(List<Alarm> items, long total, int offset, int limit) {
    public AlarmPage {
        items = List.copyOf(items);
    }
}
