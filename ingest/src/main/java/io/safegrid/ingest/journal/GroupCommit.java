package io.safegrid.ingest.journal;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.safegrid.ingest.intake.Acknowledger;
import io.safegrid.ingest.intake.Refusal;
import io.safegrid.model.reading.Reading;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acknowledges readings only once the {@link Journal} holds them. Each event loop gathers what its
 * connections had accepted during one pass over their reads and writes it as one group (one
 * {@code write}) in a task that runs right after that pass; then it sends the group's
 * acknowledgements, in arrival order. The rules have judged the readings before (on the bus's
 * offer), so the journal adds nothing to the way to an alarm.
 *
 * <p>A group the journal cannot take (free space below the refusing watermark, or a failed write) is
 * not acknowledged: each of its messages gets the protocol's refusal in its acknowledgement's place,
 * so devices send it again (their readings already on the bus, and judged, are then recorded twice,
 * which the record's de-duplication absorbs).
 */
public final class GroupCommit implements Acknowledger {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    private final Journal journal;
    private final Map<EventLoop, LoopGroup> groups = new ConcurrentHashMap<>();
    /** Whether the last group failed: the ERROR is logged once per spell, not once per group. */
    private final AtomicBoolean refusing = new AtomicBoolean();

    public GroupCommit(Journal journal) {
        this.journal = journal;
    }

    @Override
    public void after(Channel channel, List<Reading> readings, Runnable ack, Consumer<Refusal> refused) {
        EventLoop loop = channel.eventLoop();
        LoopGroup g = groups.get(loop);
        if (g == null) {
            g = groups.computeIfAbsent(loop, LoopGroup::new);
        }
        g.add(readings, ack, refused);
    }

    /** One event loop's pending group; touched only on that loop. */
    private final class LoopGroup implements Runnable {
        private final EventLoop loop;
        private List<Reading> readings = new ArrayList<>();
        private List<Runnable> acks = new ArrayList<>();
        private List<Consumer<Refusal>> refusals = new ArrayList<>();
        private boolean scheduled;

        LoopGroup(EventLoop loop) {
            this.loop = loop;
        }

        void add(List<Reading> rs, Runnable ack, Consumer<Refusal> refused) {
            if (acks.isEmpty() && rs.isEmpty()) {
                ack.run();   // nothing ahead of it to wait for
                return;
            }
            readings.addAll(rs);
            acks.add(ack);
            refusals.add(refused);
            if (!scheduled) {
                scheduled = true;
                try {
                    loop.execute(this);
                } catch (RejectedExecutionException shuttingDown) {
                    run();
                }
            }
        }

        @Override
        public void run() {
            scheduled = false;
            List<Reading> rs = readings;
            List<Runnable> as = acks;
            List<Consumer<Refusal>> fs = refusals;
            readings = new ArrayList<>();
            acks = new ArrayList<>();
            refusals = new ArrayList<>();
            Refusal refusal = null;
            try {
                journal.append(rs);
            } catch (Journal.DiskFullException e) {
                refusal = new Refusal(Refusal.DISK_FULL, e.getMessage() + "; send again later");
            } catch (IOException | RuntimeException e) {
                refusal = new Refusal(Refusal.JOURNAL_FAILED, "the ingest journal could not write: " + e + "; send again later");
            }
            if (refusal == null) {
                if (refusing.compareAndSet(true, false)) {
                    LOG.info("Ingest journal takes readings again; acknowledging");
                }
                for (Runnable a : as) {
                    try {
                        a.run();
                    } catch (RuntimeException e) {
                        LOG.warn("acknowledgement failed", e);
                    }
                }
                return;
            }
            if (refusing.compareAndSet(false, true)) {
                LOG.error("INGEST REFUSING READINGS ({}): {}. They were judged, but devices get the protocol's refusal "
                        + "(MQTT 5 PUBACK 0x97, HTTP 503, no HJ 212 9014) and must send them again; counted in "
                        + "safegrid_ingest_rejected_total, reason {}", refusal.reason(), refusal.detail(), refusal.reason());
            }
            for (Consumer<Refusal> f : fs) {
                try {
                    f.accept(refusal);
                } catch (RuntimeException e) {
                    LOG.warn("refusal failed", e);
                }
            }
        }
    }
}
