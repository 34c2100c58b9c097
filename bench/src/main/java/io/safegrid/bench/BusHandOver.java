package io.safegrid.bench;

import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.config.ThreadSettings;
import io.safegrid.node.threads.Scheduling;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.bus.Urgency;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.reading.Reading;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What one hand-over on the in-process bus costs on an otherwise idle machine: a reading offered
 * every 20 ms, timed until the group's handler runs. The alarm path has about five such hand-overs,
 * so this is its floor on this machine (the OS waking a parked thread on an idle core).
 *
 * <p>Two ways for the publisher to carry on: {@code idle} (it sleeps at once, as an event loop with
 * nothing more to read; the consumer may run on the publisher's core) or {@code busy} (it keeps its
 * core, as an event loop under load; the consumer must be woken on the other core).
 *
 * <p>{@code java ... io.safegrid.bench.BusHandOver [URGENT|NORMAL] [idle|busy] [messages]}; add
 * {@code -XX:ThreadPriorityPolicy=1} for URGENT to mean a higher OS priority.
 */
public final class BusHandOver {
    public static void main(String[] args) throws Exception {
        Urgency urgency = Urgency.valueOf(args.length > 0 ? args[0] : "URGENT");
        boolean busy = args.length > 1 && args[1].equals("busy");
        int messages = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        AtomicLongArray took = new AtomicLongArray(messages);
        AtomicLong sentAt = new AtomicLong();
        AtomicLong seen = new AtomicLong();
        GridPath site = GridPath.parse("bench/site");
        // the node's default thread policy: urgent consumers at the highest priority
        try (InProcessBus bus = new InProcessBus(new Scheduling(ThreadSettings.defaults()))) {
            bus.subscribe(Topic.READINGS, "timed", urgency, (k, r) -> {
                int i = (int) r.value();
                took.set(i, System.nanoTime() - sentAt.get());
                seen.incrementAndGet();
            });
            for (int i = 0; i < messages; i++) {
                Thread.sleep(20); // idle between messages, as the alarm path is between alarms
                sentAt.set(System.nanoTime());
                bus.offer(Topic.READINGS, "dev-" + (i % 7), Reading.sample("dev", site, "methane", i, Instant.now()));
                while (busy && seen.get() <= i) {
                    Thread.onSpinWait();
                }
            }
            while (seen.get() < messages) {
                Thread.sleep(1);
            }
        }
        long[] l = new long[messages];
        for (int i = 0; i < messages; i++) {
            l[i] = took.get(i);
        }
        Arrays.sort(l);
        System.out.printf(Locale.ROOT, "%s group, publisher %s, %d hand-overs 20 ms apart: p50 %.0f µs, p90 %.0f µs, p99 %.0f µs, max %.0f µs%n",
                urgency, busy ? "busy" : "idle", messages, l[messages / 2] / 1e3, l[messages * 9 / 10] / 1e3, l[messages * 99 / 100] / 1e3,
                l[messages - 1] / 1e3);
    }
}
