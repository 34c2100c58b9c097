package io.safegrid.bus.kafka;

import java.util.ArrayDeque;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One publishing thread's records on their way to the broker, for {@code Bus.whenStored}: each record
 * gets the next number when sent; the broker's answers come back in any order across partitions;
 * a waiter runs once every record numbered up to its mark has an answer — in registration order, so
 * an ingest event loop's acknowledgements keep their order.
 */
final class StoredTracker {
    private static final Logger LOG = LoggerFactory.getLogger(StoredTracker.class);

    private record Waiter(long upTo, Runnable onStored, Runnable onFailed) {
    }

    private long sent;
    /** Every record numbered up to this has an answer. */
    private long answered;
    /**
     * Which records after {@code answered} (and up to {@code sent}) have their answer already: record n at
     * {@code n & (length - 1)}. A ring rather than a sorted set, since every record passes through it.
     */
    private boolean[] ahead = new boolean[1024];
    private final TreeSet<Long> failed = new TreeSet<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    /** The number of a record about to be sent. */
    synchronized long next() {
        return ++sent;
    }

    /** A record handed to the producer that never left (the producer refused it): counts as failed. */
    void refused(long n) {
        answer(n, false);
    }

    void answer(long n, boolean stored) {
        Runnable[] ready;
        synchronized (this) {
            if (!stored) {
                failed.add(n);
            }
            if (n == answered + 1) {
                answered = n;
                int mask = ahead.length - 1;
                while (answered < sent && ahead[(int) (answered + 1) & mask]) {
                    answered++;
                    ahead[(int) answered & mask] = false;
                }
            } else {
                if (n - answered >= ahead.length) {
                    grow(n - answered);
                }
                ahead[(int) n & (ahead.length - 1)] = true;
            }
            ready = release();
        }
        run(ready);
    }

    private void grow(long span) {
        int size = ahead.length;
        while (size <= span) {
            size *= 2;
        }
        boolean[] bigger = new boolean[size];
        for (long k = answered + 1; k <= sent; k++) {
            bigger[(int) k & (size - 1)] = ahead[(int) k & (ahead.length - 1)];
        }
        ahead = bigger;
    }

    void whenStored(Runnable onStored, Runnable onFailed) {
        Runnable[] ready;
        synchronized (this) {
            waiters.add(new Waiter(sent, onStored, onFailed));
            ready = release();
        }
        run(ready);
    }

    private Runnable[] release() {
        if (waiters.isEmpty() || waiters.peek().upTo > answered) {
            return null;
        }
        java.util.List<Runnable> out = new java.util.ArrayList<>();
        while (!waiters.isEmpty() && waiters.peek().upTo <= answered) {
            Waiter w = waiters.poll();
            boolean ok = true;
            if (!failed.isEmpty()) {
                var upTo = failed.headSet(w.upTo, true);
                ok = upTo.isEmpty();
                upTo.clear();
            }
            out.add(ok ? w.onStored : w.onFailed);
        }
        return out.toArray(new Runnable[0]);
    }

    private static void run(Runnable[] ready) {
        if (ready == null) {
            return;
        }
        for (Runnable r : ready) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("stored-callback failed", e);
            }
        }
    }
}
