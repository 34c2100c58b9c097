package io.safegrid.node.fault;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A device that numbers its readings (n → its time) and, like a real one, forgets a reading once it
 * is acknowledged and sends again whatever was not. Subclasses speak one protocol.
 */
abstract class NumberedSender implements Runnable {
    final String device;
    /** Numbers handed out so far: 0 .. next-1. */
    final AtomicInteger next = new AtomicInteger();
    final Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
    volatile boolean stop;

    NumberedSender(String device) {
        this.device = device;
    }

    /** The reading's measured time in epoch milliseconds; the record's key. */
    abstract long timeOf(int n);

    /** Opens a connection to the (re)started node. */
    abstract void open() throws Exception;

    /** Sends n; true once the node acknowledged it; throws when the connection is gone. */
    abstract boolean send(int n) throws Exception;

    abstract void closeQuietly();

    /** New numbers until stopped or the node goes away. */
    @Override
    public void run() {
        try {
            open();
            while (!stop) {
                int n = next.getAndIncrement();
                if (send(n)) {
                    acknowledged.add(n);
                }
            }
        } catch (Exception gone) {
            // the node was killed: what got no acknowledgement is sent again later
        } finally {
            closeQuietly();
        }
    }

    /** Resends every number without an acknowledgement; returns how many were resent. */
    int resendUnacknowledged() throws Exception {
        open();
        int resent = 0;
        try {
            for (int n = 0; n < next.get(); n++) {
                if (!acknowledged.contains(n)) {
                    if (!send(n)) {
                        throw new AssertionError(device + ": reading " + n + " refused on resend");
                    }
                    acknowledged.add(n);
                    resent++;
                }
            }
        } finally {
            closeQuietly();
        }
        return resent;
    }
}
