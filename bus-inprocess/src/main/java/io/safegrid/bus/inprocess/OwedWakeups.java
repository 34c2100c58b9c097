package io.safegrid.bus.inprocess;

import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The wake-ups one publishing thread owes to parked consumers, sent together after the thread's turn
 * ({@link io.safegrid.model.bus.Bus#wakeAfterTurn}). An ingest event loop that takes one reading from
 * each of a thousand connections in one turn otherwise unparks a consumer (a system call, and a context
 * switch on a busy machine) for every reading; here each consumer is unparked once for all of them.
 * What is owed is sent at the latest after {@link #MAX_HELD} offers, so a long turn does not leave a
 * consumer parked behind it. Used only by its own thread.
 */
final class OwedWakeups implements Runnable {
    /** Offers that may wait for one wake-up: at a few microseconds each, under a millisecond. */
    static final int MAX_HELD = 256;

    private final Executor afterTurn;
    private PartitionQueue<?>[] owed = new PartitionQueue<?>[8];
    private int count;
    private int held;
    private boolean scheduled;

    OwedWakeups(Executor afterTurn) {
        this.afterTurn = afterTurn;
    }

    /**
     * After a push to {@code q}: a consumer that is not parked finds the message itself (it looks once more
     * after announcing that it parks), so only a parked one is owed a wake-up.
     */
    void owe(PartitionQueue<?> q) {
        if (!q.consumerParked()) {
            return;
        }
        int i = 0;
        while (i < count && owed[i] != q) {
            i++;
        }
        if (i == count) {
            if (count == owed.length) {
                owed = Arrays.copyOf(owed, count * 2);
            }
            owed[count++] = q;
        }
        if (++held >= MAX_HELD) {
            wakeAll();
            return;
        }
        if (!scheduled) {
            scheduled = true;
            try {
                afterTurn.execute(this);
            } catch (RejectedExecutionException shutDown) {
                scheduled = false;
                wakeAll();
            }
        }
    }

    /** The end of the thread's turn. */
    @Override
    public void run() {
        scheduled = false;
        wakeAll();
    }

    private void wakeAll() {
        for (int i = 0; i < count; i++) {
            owed[i].signal();
            owed[i] = null;
        }
        count = 0;
        held = 0;
    }
}
