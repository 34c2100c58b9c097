package io.safegrid.ingest.gb28181.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Puts the RTP packets of one stream over UDP back in sequence order before their PS bytes reach the
 * demultiplexer, which reads PS as one byte stream: a swapped pair of packets (common on 4G links and
 * across routers with several paths) would otherwise splice a frame's bytes wrongly and break its
 * picture, and the pictures that refer to it, until the next key frame.
 *
 * <p>A packet that comes in order goes on at once; nothing waits while nothing is missing. A packet
 * after a gap waits for the missing one until it has waited {@code maxDelayNanos}, or until
 * {@value #WINDOW} packets are held: then the gap is given up as lost and what follows goes on.
 * A packet whose place has already been passed is dropped as late, one already held as a duplicate.
 * A jump of more than {@value #RESYNC} sequence numbers either way is a sender that started again
 * (a device's encoder restart): what is held goes on and the stream resumes from the new number.
 * Sequence numbers wrap at 65,536 (RFC 3550). Not thread-safe: one receiving thread.
 */
final class RtpReorder {
    /** Packets held at most: about 0.3 s of a 4 Mbit/s camera in 1,400-byte packets. */
    static final int WINDOW = 128;
    /** A jump further than this is a new start of the sender, not disorder. */
    static final int RESYNC = 3_000;

    /** Where packets go, in order. */
    interface Sink {
        void accept(byte[] payload);
    }

    /** What disorder was seen: this stream's numbers, and the node's in {@code safegrid_gb28181_rtp_disorder_total}. */
    static final class Counts {
        /** Packets that came after later ones and were put back in their place. */
        final Count reordered;
        /** Sequence numbers given up: never came within the wait. */
        final Count lost;
        /** Packets whose place had been passed: they came after their gap was given up, or twice. */
        final Count late;
        /** Packets already held when they came again. */
        final Count duplicate;
        /** Jumps of the sequence that started the order again. */
        final Count restarts;

        Counts(MeterRegistry registry) {
            reordered = new Count(registry, "reordered");
            lost = new Count(registry, "lost");
            late = new Count(registry, "late");
            duplicate = new Count(registry, "duplicate");
            restarts = new Count(registry, "restart");
        }
    }

    /** This stream's disorder in words for its log line, or null when there was none. */
    String summary() {
        long r = counts.reordered.get();
        long l = counts.lost.get();
        long t = counts.late.get();
        long d = counts.duplicate.get();
        long s = counts.restarts.get();
        return r + l + t + d + s == 0 ? null
                : r + " put back in order, " + l + " lost, " + t + " late, " + d + " repeated, " + s + " sequence restarts";
    }

    /** One stream's count, added to the node's. */
    static final class Count {
        private final AtomicLong mine = new AtomicLong();
        private final Counter node;

        Count(MeterRegistry registry, String kind) {
            node = Counter.builder("safegrid.gb28181.rtp.disorder").tag("kind", kind)
                    .description("RTP packets over UDP out of order, lost or repeated, by kind").register(registry);
        }

        void add(long n) {
            if (n > 0) {
                mine.addAndGet(n);
                node.increment(n);
            }
        }

        void increment() { add(1); }

        long get() { return mine.get(); }
    }

    private final long maxDelayNanos;
    private final Sink sink;
    final Counts counts;
    private final byte[][] held = new byte[WINDOW][];
    private final long[] heldAt = new long[WINDOW];
    private int holding;
    /** The sequence number that goes on next; -1 before the first packet. */
    private int next = -1;

    RtpReorder(long maxDelayNanos, Sink sink, MeterRegistry registry) {
        this.maxDelayNanos = maxDelayNanos;
        this.sink = sink;
        this.counts = new Counts(registry);
    }

    /** One packet's payload with its sequence number, received at {@code now} (nanoTime). */
    void add(int seq, byte[] payload, long now) {
        if (next < 0) {
            next = seq;
        }
        int ahead = distance(next, seq);
        if (ahead > RESYNC || ahead < -RESYNC) {
            counts.restarts.increment();
            flushAll();
            next = seq;
            ahead = 0;
        }
        if (ahead < 0) {
            counts.late.increment();
            return;
        }
        while (ahead >= WINDOW) {   // no room to wait: give up the oldest gap
            if (holding > 0) {
                giveUpGap();
            } else {
                counts.lost.add(ahead);   // nothing held: every number before this one
                next = seq;
            }
            ahead = distance(next, seq);
        }
        if (ahead == 0) {
            if (holding > 0) {
                counts.reordered.increment();   // it came after packets that follow it
            }
            sink.accept(payload);
            next = (next + 1) & 0xFFFF;
            drain();
            return;
        }
        int slot = seq % WINDOW;
        if (held[slot] != null) {
            counts.duplicate.increment();
            return;
        }
        held[slot] = payload;
        heldAt[slot] = now;
        holding++;
    }

    /** Gives up gaps that have been waited on for {@code maxDelayNanos}; called at least every {@link #waitMillis}. */
    void expire(long now) {
        while (holding > 0 && now - oldestHeld() >= maxDelayNanos) {
            giveUpGap();
        }
    }

    /** Whether packets wait for a gap to fill. */
    boolean waiting() { return holding > 0; }

    /** How long the receiver may block before it must call {@link #expire}: a fraction of the delay allowed. */
    int waitMillis() { return (int) Math.max(1, maxDelayNanos / 4_000_000); }

    /** Hands on everything held, in order, gaps given up: the stream ends or the sender started again. */
    void flushAll() {
        while (holding > 0) {
            giveUpGap();
        }
    }

    /** Gives up the gap before the first held packet, and hands on what follows it; something must be held. */
    private void giveUpGap() {
        int first = firstHeld();
        counts.lost.add(distance(next, first));
        next = first;
        drain();
    }

    /** When the packet held longest came. */
    private long oldestHeld() {
        long oldest = Long.MAX_VALUE;
        boolean any = false;
        for (int i = 0; i < WINDOW; i++) {
            if (held[i] != null && (!any || heldAt[i] - oldest < 0)) {
                oldest = heldAt[i];
                any = true;
            }
        }
        return oldest;
    }

    /** The held packet that comes first in sequence order. */
    private int firstHeld() {
        for (int i = 1; i < WINDOW; i++) {
            int seq = (next + i) & 0xFFFF;
            if (held[seq % WINDOW] != null) {
                return seq;
            }
        }
        throw new IllegalStateException("nothing held");
    }

    /** Hands on the held packets that follow on from {@code next} without a gap. */
    private void drain() {
        while (holding > 0) {
            int slot = next % WINDOW;
            byte[] p = held[slot];
            if (p == null) {
                return;
            }
            held[slot] = null;
            holding--;
            sink.accept(p);
            next = (next + 1) & 0xFFFF;
        }
    }

    /** {@code to - from} in sequence space, between -32,768 and 32,767. */
    static int distance(int from, int to) {
        return (short) (to - from);
    }
}
