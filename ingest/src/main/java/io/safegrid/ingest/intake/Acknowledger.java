package io.safegrid.ingest.intake;

import io.netty.channel.Channel;
import io.safegrid.model.reading.Reading;
import java.util.List;
import java.util.function.Consumer;

/**
 * When a protocol may acknowledge readings that the bus has taken. Called on the channel's event
 * loop, in the connection's order; {@code ack} or {@code refused} (exactly one of them) must run on
 * that loop, in the same order.
 */
public interface Acknowledger {
    /** Acknowledges at once: the bus is the only promise (QoS 0 style, tests, and Kafka, whose offer already waited). */
    Acknowledger AT_ONCE = (channel, readings, ack, refused) -> ack.run();

    /**
     * Runs {@code ack} once {@code readings} (possibly none: a reply that must keep its place) are kept as
     * promised, or {@code refused} when they cannot be.
     */
    void after(Channel channel, List<Reading> readings, Runnable ack, Consumer<Refusal> refused);
}
