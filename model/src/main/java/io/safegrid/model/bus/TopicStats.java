package io.safegrid.model.bus;

/**
 * Counters for one topic, for metrics. Monotonic except {@code queued}.
 *
 * @param published      messages accepted from publishers
 * @param delivered      handler calls that returned normally
 * @param handlerErrors  handler calls that threw (logged; the message is not retried)
 * @param dropped        messages dropped by {@link Overflow#DROP_OLDEST}
 * @param refused        offers refused because a queue was full (the publisher kept the message)
 * @param unrouted       messages published while no group subscribed
 * @param queued         messages waiting now, over all groups
 * @param capacity       queue capacity, over all groups and partitions
 */
public record TopicStats(String topic, long published, long delivered, long handlerErrors, long dropped,
                         long refused, long unrouted, long queued, long capacity) {
}
