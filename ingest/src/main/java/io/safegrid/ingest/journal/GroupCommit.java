package io.safegrid.ingest.journal;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.safegrid.ingest.intake.Acknowledger;
import io.safegrid.model.reading.Reading;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acknowledges readings only once the {@link Journal} holds them. Each event loop gathers what its
 * connections had accepted during one pass over their reads and writes it as one group (one
 * {@code write}) in a task that runs right after that pass; then it sends the group's
 * acknowledgements, in arrival order. The rules have judged the readings before (on the bus's
 * offer), so the journal adds nothing to the way to an alarm.
 *
 * <p>A group the journal cannot write is not acknowledged: its connections are closed, so devices
 * send it again (their readings already on the bus are then recorded twice, which the record's
 * de-duplication absorbs).
 */
public final class GroupCommit implements Acknowledger {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    private final Journal journal;
    private final Map<EventLoop, LoopGroup> groups = new ConcurrentHashMap<>();

    public GroupCommit(Journal journal) {
        this.journal = journal;
    }

    @Override
    public void after(Channel channel, List<Reading> readings, Runnable ack) {
        EventLoop loop = channel.eventLoop();
        LoopGroup g = groups.get(loop);
        if (g == null) {
            g = groups.computeIfAbsent(loop, LoopGroup::new);
        }
        g.add(channel, readings, ack);
    }

    /** One event loop's pending group; touched only on that loop. */
    private final class LoopGroup implements Runnable {
        private final EventLoop loop;
        private List<Reading> readings = new ArrayList<>();
        private List<Runnable> acks = new ArrayList<>();
        private List<Channel> channels = new ArrayList<>();
        private boolean scheduled;

        LoopGroup(EventLoop loop) {
            this.loop = loop;
        }

        void add(Channel channel, List<Reading> rs, Runnable ack) {
            if (acks.isEmpty() && rs.isEmpty()) {
                ack.run();   // nothing ahead of it to wait for
                return;
            }
            readings.addAll(rs);
            acks.add(ack);
            channels.add(channel);
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
            List<Channel> cs = channels;
            readings = new ArrayList<>();
            acks = new ArrayList<>();
            channels = new ArrayList<>();
            try {
                journal.append(rs);
            } catch (IOException | RuntimeException e) {
                Set<Channel> unacknowledged = new LinkedHashSet<>(cs);
                LOG.error("INGEST JOURNAL WRITE FAILED: {} readings not acknowledged, closing {} connections so that "
                        + "devices send them again: {}", rs.size(), unacknowledged.size(), e.toString());
                unacknowledged.forEach(Channel::close);
                return;
            }
            for (Runnable a : as) {
                try {
                    a.run();
                } catch (RuntimeException e) {
                    LOG.warn("acknowledgement failed", e);
                }
            }
        }
    }
}
