package io.safegrid.model.alarm;

import io.safegrid.model.Level;
import io.safegrid.model.grid.GridPath;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The alarm ledger read in bulk, as the assessment (考核) and the reports count it: one fact per
 * alarm, streamed so a month of a county (a million alarms) never sits in memory as alarms.
 * Alerting implements it on its ledger's tables; the node plugs it in.
 */
public interface AlarmFacts {

    /** Alarms raised in {@code [from, to)} at a site within {@code subtree}, in no particular order. */
    void scan(GridPath subtree, Instant from, Instant to, Consumer<Fact> sink);

    /** How many {@link #scan} would give, for a progress indication. */
    long count(GridPath subtree, Instant from, Instant to);

    /**
     * @param level          the highest level it reached
     * @param acknowledgedAt its first acknowledgement, or null when nobody acknowledged it
     * @param reachedCounty  an unanswered escalation climbed to the county
     */
    record Fact(String id, GridPath site, String source, String kind, Level level, Instant raisedAt,
                Instant acknowledgedAt, boolean reachedCounty) {
    }
}
