package io.safegrid.ingest.guard;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Who is holding a connection's reading. Several things pause a connection (the bus is full, the
 * client does not read its replies, a picture is being decoded) and each must resume only its own
 * pause: the connection reads again once nobody holds it. Used on the channel's event loop only.
 */
public final class ReadPause {
    /** The bus refused readings; the connection's gate waits for room. */
    public static final int BUS = 1;
    /** The client does not read: replies are queued above the write buffer's high water mark. */
    public static final int WRITE = 2;
    /** The connection's last request is still being worked on (a snapshot decoding, video backlog). */
    public static final int WORK = 4;
    /** The device went over its readings/s limit: what it sends next waits in TCP for a moment. */
    public static final int RATE = 8;

    private static final AttributeKey<int[]> KEY = AttributeKey.valueOf("safegrid.ingest.read-pause");

    private ReadPause() {
    }

    /** Stops reading until every holder has released. */
    public static void hold(Channel ch, int reason) {
        int[] held = held(ch);
        held[0] |= reason;
        if (ch.config().isAutoRead()) {
            ch.config().setAutoRead(false);
        }
    }

    /** Drops {@code reason}'s hold; reading resumes when it was the last. */
    public static void release(Channel ch, int reason) {
        int[] held = held(ch);
        held[0] &= ~reason;
        if (held[0] == 0 && !ch.config().isAutoRead()) {
            ch.config().setAutoRead(true);
        }
    }

    public static boolean holds(Channel ch, int reason) {
        int[] held = ch.attr(KEY).get();
        return held != null && (held[0] & reason) != 0;
    }

    private static int[] held(Channel ch) {
        int[] held = ch.attr(KEY).get();
        if (held == null) {
            held = new int[1];
            ch.attr(KEY).set(held);
        }
        return held;
    }
}
