package io.safegrid.bus.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.model.bus.TopicStats;
import java.util.concurrent.atomic.LongAdder;

/** One Kafka-backed topic's counters, in the shape of {@link TopicStats}, plus Kafka's own failures. */
final class TopicCounters {
    final String topic;
    final LongAdder published = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder handlerErrors = new LongAdder();
    final LongAdder refused = new LongAdder();
    final Counter sendFailures;
    final Counter badRecords;

    TopicCounters(String topic, MeterRegistry meters) {
        this.topic = topic;
        this.sendFailures = Counter.builder("safegrid.bus.kafka.send.failures").tag("topic", topic)
                .description("records Kafka did not accept in time (logged with their key; the publisher had been told yes)")
                .register(meters);
        this.badRecords = Counter.builder("safegrid.bus.kafka.bad.records").tag("topic", topic)
                .description("records that could not be read as the topic's message; skipped").register(meters);
    }

    TopicStats stats(SendWindow window) {
        return new TopicStats(topic, published.sum(), delivered.sum(), handlerErrors.sum(), 0, refused.sum(), 0,
                window.records(), window.capacity());
    }
}
