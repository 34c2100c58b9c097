package io.safegrid.testing;

import io.safegrid.model.alarm.AlarmFacts;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.HazardFacts;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Alarm and hazard facts answered from lists, as the ledger and the register answer them (the same
 * filters), for tests and benchmarks of the assessment and the reports that need exact data.
 */
public final class FactLists {
    private FactLists() {
    }

    public static AlarmFacts alarms(List<AlarmFacts.Fact> facts) {
        return new AlarmFacts() {
            @Override
            public void scan(GridPath subtree, Instant from, Instant to, Consumer<Fact> sink) {
                for (Fact f : facts) {
                    if (f.site().isWithin(subtree) && !f.raisedAt().isBefore(from) && f.raisedAt().isBefore(to)) {
                        sink.accept(f);
                    }
                }
            }

            @Override
            public long count(GridPath subtree, Instant from, Instant to) {
                long[] n = {0};
                scan(subtree, from, to, f -> n[0]++);
                return n[0];
            }
        };
    }

    /** Hazards reported before {@code to} and not accepted before {@code from}. */
    public static HazardFacts hazards(List<HazardFacts.Fact> facts) {
        return (subtree, from, to, sink) -> {
            for (HazardFacts.Fact h : facts) {
                if (h.site().isWithin(subtree) && h.reportedAt().isBefore(to)
                        && (h.closedAt() == null || !h.closedAt().isBefore(from))) {
                    sink.accept(h);
                }
            }
        };
    }
}
