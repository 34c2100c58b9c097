package io.safegrid.ingest.intake;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.safegrid.ingest.guard.ReadPause;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.judging.Judge;
import io.safegrid.model.reading.Reading;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's way onto the bus, in arrival order. Each message takes three steps, all on the
 * channel's event loop: its readings are offered to {@link Topic#READINGS}; once taken they are
 * judged, once, by the {@link Judge} (the rules, where the node wires them here); the findings that
 * raises are offered to {@link Topic#FINDINGS}. When the bus refuses either offer, the connection
 * stops reading ({@link ReadPause#BUS}, counted), the message and everything after it wait here in
 * order (readings and replies alike, so an ack never overtakes an earlier message), and the bus's
 * writability callback resumes at the step that was refused: nothing here ever waits on the bus.
 * What the bus took is acknowledged through the {@link Acknowledger} (after the journal holds it),
 * in the same order. Nothing accepted from a sender is dropped: what is queued is delivered even if
 * the connection closes meanwhile.
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
     * A message in its steps: {@code judged} is null until its readings are on the bus. {@code refused}
     * runs instead of {@code then} when the readings cannot be kept (null: a later vouching item answers
     * for them); a {@code vouching} item is refused too when an unanswered item before it was.
     */
    private static final class Item {
        final String key;
        final List<Reading> readings;
        final Runnable then;
        final Consumer<Refusal> refused;
        final boolean vouching;
        List<Finding> judged;
        int findingsSent;

        Item(String key, List<Reading> readings, Runnable then, Consumer<Refusal> refused, boolean vouching) {
            this.key = key;
            this.readings = readings;
            this.then = then;
            this.refused = refused;
            this.vouching = vouching;
        }
    }

    private final Channel channel;
    private final Bus bus;
    private final IngestMetrics metrics;
    private final String protocol;
    private final Acknowledger acks;
    private final Judge judge;
    private final ArrayDeque<Item> pending = new ArrayDeque<>();
    private boolean waiting;
    private boolean pausedReads;
    /** Refused readings since the last vouching item that nobody has answered for yet; null when none. */
    private Refusal unanswered;

    private ChannelGate(Channel channel, Bus bus, IngestMetrics metrics, String protocol, Acknowledger acks, Judge judge) {
        this.judge = judge;
        this.channel = channel;
        this.bus = bus;
        this.metrics = metrics;
        this.protocol = protocol;
        this.acks = acks;
    }

    public static ChannelGate of(Channel channel, Bus bus, IngestMetrics metrics, String protocol, Acknowledger acks,
                                 Judge judge) {
        ChannelGate g = channel.attr(KEY).get();
        if (g == null) {
            g = new ChannelGate(channel, bus, metrics, protocol, acks, judge);
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
                try {
                    if (it.judged == null) {
                        if (!bus.offerAll(Topic.READINGS, it.key, it.readings)) {
                            waitForRoom(Topic.READINGS, it.key);
                            return;
                        }
                        it.judged = judged(it);   // once: the rules keep state per device
                    }
                    for (; it.findingsSent < it.judged.size(); it.findingsSent++) {
                        Finding f = it.judged.get(it.findingsSent);
                        if (!bus.offer(Topic.FINDINGS, f.sourceId(), f)) {
                            metrics.count("safegrid.ingest.backpressure.findings", protocol);
                            waitForRoom(Topic.FINDINGS, f.sourceId());
                            return;
                        }
                    }
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
            }
            pending.poll();
            try {
                if (acks == Acknowledger.AT_ONCE) {
                    kept(it);   // what the bus took is all that was promised: no callbacks to build per message
                } else {
                    acks.after(channel, it.readings, () -> kept(it), r -> refused(it, r));
                }
            } catch (RuntimeException e) {
                LOG.warn("after-publish action failed on {}", channel.remoteAddress(), e);
            }
        }
        if (pausedReads) {
            pausedReads = false;
            ReadPause.release(channel, ReadPause.BUS);
        }
    }

    /**
     * The findings of a message whose readings are on the bus. A judge that throws (the rules catch their
     * own failures, so a bug) must not put them on the bus twice: counted, logged, judged as none.
     */
    private List<Finding> judged(Item it) {
        try {
            return judge.judge(it.key, it.readings);
        } catch (RuntimeException e) {
            metrics.count("safegrid.ingest.judge.failures", protocol);
            LOG.warn("judging {} reading(s) of {} failed; they are on the bus unjudged", it.readings.size(), it.key, e);
            return List.of();
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

    private void waitForRoom(Topic<?> topic, String key) {
        waiting = true;
        if (!pausedReads) {
            pausedReads = true;
            ReadPause.hold(channel, ReadPause.BUS);
            metrics.count("safegrid.ingest.backpressure.pauses", protocol);
        }
        bus.whenWritable(topic, key, () -> channel.eventLoop().execute(() -> {
            waiting = false;
            drain();
        }));
    }
}
