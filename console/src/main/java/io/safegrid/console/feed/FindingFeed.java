package io.safegrid.console.feed;

import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Subscription;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.grid.GridPath;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The most recent findings, newest first, for the console's live view. Bounded: the full record
 * is the time-series store and the alarm database, not this.
 */
public final class FindingFeed implements AutoCloseable {
    private final int capacity;
    private final Deque<Finding> recent = new ArrayDeque<>();
    private Subscription subscription;

    public FindingFeed(int capacity) { this.capacity = capacity; }

    public FindingFeed start(Bus bus) {
        subscription = bus.subscribe(Topic.FINDINGS, "console-feed", (key, f) -> add(f));
        return this;
    }

    public synchronized void add(Finding f) {
        recent.addFirst(f);
        while (recent.size() > capacity) {
            recent.removeLast();
        }
    }

    /** Newest first, within a grid subtree. */
    public synchronized List<Finding> recent(GridPath scope, int limit) {
        List<Finding> out = new ArrayList<>();
        for (Finding f : recent) {
            if (out.size() >= limit) {
                break;
            }
            if (scope == null || (f.site() != null && f.site().isWithin(scope))) {
                out.add(f);
            }
        }
        return out;
    }

    public synchronized Optional<Finding> byId(String id) {
        return recent.stream().filter(f -> f.id().equals(id)).findFirst();
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
