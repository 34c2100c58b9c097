package io.safegrid.node.load;

import io.netty.channel.Channel;

/**
 * Writes to one connection per device and flushes every {@link #FLUSH_EVERY} messages per
 * connection: a write without flush is queued to the event loop lazily (no wake-up), so batching
 * the flushes saves syscalls and wake-ups, as a real gateway's client would.
 */
final class BatchedWrites {
    static final int FLUSH_EVERY = 16;
    private final Channel[] channels;
    private final int[] unflushed;

    /** {@code channels} is shared, not copied: the transport fills it as its connections open. */
    BatchedWrites(Channel[] channels) {
        this.channels = channels;
        this.unflushed = new int[channels.length];
    }

    void write(int device, Object message) {
        Channel ch = channels[device];
        ch.write(message);
        if (++unflushed[device] >= FLUSH_EVERY) {
            unflushed[device] = 0;
            ch.flush();
        }
    }

    /** Flushes every connection with something written since its last flush. */
    void flushAll() {
        for (int i = 0; i < channels.length; i++) {
            if (unflushed[i] > 0) {
                unflushed[i] = 0;
                channels[i].flush();
            }
        }
    }
}
