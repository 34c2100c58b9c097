package io.safegrid.ingest.intake;

import io.netty.channel.Channel;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.reading.Reading;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acknowledges once the bus itself has stored the readings — Kafka's {@code acks=all} — instead of a
 * local journal. The bus answers on its own thread; the acknowledgement goes back to the channel's
 * event loop in the order it was asked for. A reading the broker could not store gets the protocol's
 * refusal instead, so the device sends it again.
 */
public final class StoredByBus implements Acknowledger {
    private static final Logger LOG = LoggerFactory.getLogger(StoredByBus.class);
    private final Bus bus;

    public StoredByBus(Bus bus) {
        this.bus = bus;
    }

    @Override
    public void after(Channel channel, List<Reading> readings, Runnable ack, Consumer<Refusal> refused) {
        bus.whenStored(() -> channel.eventLoop().execute(ack), () -> {
            LOG.error("The bus could not store readings from {}; refused", channel.remoteAddress());
            channel.eventLoop().execute(() -> refused.accept(new Refusal(Refusal.NOT_STORED,
                    "the bus could not store the readings; send them again")));
        });
    }
}
