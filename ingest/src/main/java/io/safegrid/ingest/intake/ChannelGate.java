package io.safegrid.ingest.intake;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.safegrid.ingest.guard.ReadPause;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.reading.Reading;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's way onto the bus, in arrival order. Readings are offered to the bus; when the
 * bus refuses, the connection stops reading ({@link ReadPause#BUS}), everything after waits
 * here in order (readings and replies alike, so an ack never overtakes an earlier message), and
 * the bus's writability callback resumes it on the channel's event loop. What the bus took is
 * acknowledged through the {@link Acknowledger} (after the journal holds it), in the same order. Nothing accepted from a
 * sender is dropped: what is queued is delivered even if the connection closes meanwhile.
 *
 * <p>Readings the acknowledger cannot keep (a full disk, a failed journal write) are counted as
 * rejected and get the protocol's refusal in the acknowledgement's place. Some acknowledgements vouch
 * for readings sent before them without an answer of their own (the HJ 212 9014 for a frame's
 * sensors, the end of a batch split for the bus): such a one is refused when any of those was.
 *
 * <p>Used only on the channel's event loop.
 */
public final class ChannelGate {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelGate.class);
    private static final AttributeKey<ChannelGate> KEY = AttributeKey.valueOf("safegrid.ingest.gate");

    /**
     * @param refused  runs instead of {@code then} when the readings cannot be kept; null: they are answered by a
     *                 later vouching item
     * @param vouching refused too when an unanswered item before it was
     */
    private record Item(String key, List<Reading> readings, Runnable then, Consumer<Refusal> refused, boolean vouching) {
    }

    private final Channel channel;
    private final Bus bus;
    private final IngestMetrics metrics;
    private final String protocol;
    private final Acknowledger acks;
    private final ArrayDeque<Item> pending = new ArrayDeque<>();
    private boolean waiting;
    private boolean pausedReads;
    /** Refused readings since the last vouching item that nobody has answered for yet; null when none. */
    private Refusal unanswered;

    private ChannelGate(Channel channel, Bus bus, IngestMetrics metrics, String protocol, Acknowledger acks) {
        this.channel = channel;
        this.bus = bus;
        this.metrics = metrics;
        this.protocol = protocol;
        this.acks = acks;
    }

    public static ChannelGate of(Channel channel, Bus bus, IngestMetrics metrics, String protocol, Acknowledger acks) {
        ChannelGate g = channel.attr(KEY).get();
        if (g == null) {
            g = new ChannelGate(channel, bus, metrics, protocol, acks);
            channel.attr(KEY).set(g);
        }
        return g;
    }

    /**
     * Puts the readings on the bus under {@code key} (all or none), then runs {@code then} once they are
     * kept, or {@code refused} when they cannot be (null: a later {@link #thenIfKept} answers for them).
     */
    public void submit(String key, List<Reading> readings, Runnable then, Consumer<Refusal> refused) {
        pending.add(new Item(key, readings, then, refused, false));
        drain();
    }

    /** Runs {@code action} once everything submitted before it is on the bus; a reply that vouches for nothing. */
    public void then(Runnable action) {
        pending.add(new Item(null, List.of(), action, r -> action.run(), false));
        drain();
    }

    /**
     * Runs {@code action} once everything submitted before it is on the bus and kept, or {@code refused}
     * when readings submitted without an answer of their own since the last such reply could not be kept.
     */
    public void thenIfKept(Runnable action, Consumer<Refusal> refused) {
        pending.add(new Item(null, List.of(), action, refused, true));
        drain();
    }

    /** Messages waiting for the bus. */
    public int pending() { return pending.size(); }

    private void drain() {
        if (waiting) {
            return;
        }
        while (!pending.isEmpty()) {
            Item it = pending.peek();
            if (!it.readings.isEmpty()) {
                boolean ok;
                try {
                    ok = bus.offerAll(Topic.READINGS, it.key, it.readings);
                } catch (IllegalArgumentException tooMany) {
                    splitHead(it);
                    continue;
                } catch (IllegalStateException closed) {
                    LOG.warn("bus closed; {} messages from {} not delivered, closing connection", pending.size(),
                            channel.remoteAddress());
                    pending.clear();
                    channel.close();
                    return;
                }
                if (!ok) {
                    waitForRoom(it.key);
                    return;
                }
            }
            pending.poll();
            try {
                acks.after(channel, it.readings, () -> kept(it), r -> refused(it, r));
            } catch (RuntimeException e) {
                LOG.warn("after-publish action failed on {}", channel.remoteAddress(), e);
            }
        }
        if (pausedReads) {
            pausedReads = false;
            ReadPause.release(channel, ReadPause.BUS);
        }
    }

    private void kept(Item it) {
        if (it.vouching && unanswered != null) {
            Refusal r = unanswered;
            unanswered = null;
            it.refused.accept(r);
            return;
        }
        if (it.vouching) {
            unanswered = null;
        }
        it.then.run();
    }

    private void refused(Item it, Refusal r) {
        if (!it.readings.isEmpty()) {
            metrics.rejected(protocol, r.reason(), channel.remoteAddress(),
                    it.readings.size() + " readings of " + it.key + " not kept, refused: " + r.detail());
        }
        if (it.refused == null) {
            unanswered = r;
            return;
        }
        if (it.vouching) {
            unanswered = null;
        }
        it.refused.accept(r);
    }

    /** A batch larger than a bus queue goes in one by one, in order; the ack follows the last, and vouches for all. */
    private void splitHead(Item it) {
        pending.poll();
        List<Item> singles = new ArrayList<>();
        for (int i = 0; i < it.readings.size(); i++) {
            boolean last = i == it.readings.size() - 1;
            singles.add(last ? new Item(it.key, List.of(it.readings.get(i)), it.then, it.refused, it.refused != null)
                    : new Item(it.key, List.of(it.readings.get(i)), () -> { }, null, false));
        }
        for (int i = singles.size() - 1; i >= 0; i--) {
            pending.addFirst(singles.get(i));
        }
    }

    private void waitForRoom(String key) {
        waiting = true;
        if (!pausedReads) {
            pausedReads = true;
            ReadPause.hold(channel, ReadPause.BUS);
            metrics.count("safegrid.ingest.backpressure.pauses", protocol);
        }
        bus.whenWritable(Topic.READINGS, key, () -> channel.eventLoop().execute(() -> {
            waiting = false;
            drain();
        }));
    }
}
