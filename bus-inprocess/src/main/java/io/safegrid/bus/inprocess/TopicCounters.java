package io.safegrid.bus.inprocess;

import java.util.concurrent.atomic.LongAdder;

/** The counters of one topic, over all its groups (see {@link io.safegrid.model.bus.TopicStats}). */
final class TopicCounters {
    final LongAdder published = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder handlerErrors = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder unrouted = new LongAdder();
}
