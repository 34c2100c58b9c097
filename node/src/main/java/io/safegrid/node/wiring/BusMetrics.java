package io.safegrid.node.wiring;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.bus.TopicStats;
import java.util.function.ToDoubleFunction;

/** Exposes the bus's own counters as Micrometer meters, one set per topic. */
public final class BusMetrics {
    private BusMetrics() {
    }

    public static void bind(Bus bus, MeterRegistry registry) {
        for (Topic<?> topic : Topic.all()) {
            String t = topic.name();
            counter(registry, bus, t, "safegrid.bus.published", "messages accepted from publishers", TopicStats::published);
            counter(registry, bus, t, "safegrid.bus.delivered", "messages handled by a subscriber", TopicStats::delivered);
            counter(registry, bus, t, "safegrid.bus.handler.errors", "subscriber calls that failed", TopicStats::handlerErrors);
            counter(registry, bus, t, "safegrid.bus.dropped", "messages dropped under load (frames only)", TopicStats::dropped);
            counter(registry, bus, t, "safegrid.bus.refused", "offers refused because a queue was full", TopicStats::refused);
            counter(registry, bus, t, "safegrid.bus.unrouted", "messages published with no subscriber", TopicStats::unrouted);
            Gauge.builder("safegrid.bus.queued", bus, b -> stat(b, t, TopicStats::queued))
                    .description("messages waiting").tag("topic", t).register(registry);
            Gauge.builder("safegrid.bus.capacity", bus, b -> stat(b, t, TopicStats::capacity))
                    .description("queue capacity over all partitions and groups").tag("topic", t).register(registry);
        }
    }

    private static void counter(MeterRegistry registry, Bus bus, String topic, String name, String help,
                                ToDoubleFunction<TopicStats> f) {
        FunctionCounter.builder(name, bus, b -> stat(b, topic, f)).description(help).tag("topic", topic).register(registry);
    }

    private static double stat(Bus bus, String topic, ToDoubleFunction<TopicStats> f) {
        return bus.stats().stream().filter(s -> s.topic().equals(topic)).mapToDouble(f).findFirst().orElse(0);
    }
}
