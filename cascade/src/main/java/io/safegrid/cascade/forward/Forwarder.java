package io.safegrid.cascade.forward;

import io.safegrid.cascade.link.LinkMetrics;
import io.safegrid.cascade.link.Message;
import io.safegrid.cascade.link.UpstreamClient;
import io.safegrid.cascade.link.Wire;
import io.safegrid.cascade.store.LinkStore;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Subscription;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Finding;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enterprise side of store-and-forward: every finding on this node's bus, and every alarm
 * transition a person made here, is written to the durable queue for the county before anything
 * else happens to it; the link sends from the queue.
 *
 * <p>Only people's actions on alarms go up (acknowledged, commented, assigned, closed): the county
 * raises, updates and escalates its own alarms from the forwarded findings. Actions the county made
 * itself ({@code county:} users) are not echoed back.
 */
public final class Forwarder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);
    public static final String GROUP = "cascade-forward";
    static final Set<AlarmEvent.Type> FORWARDED = EnumSet.of(AlarmEvent.Type.ACKNOWLEDGED, AlarmEvent.Type.COMMENTED,
            AlarmEvent.Type.ASSIGNED, AlarmEvent.Type.CLOSED);

    private final Bus bus;
    private final LinkStore store;
    private final UpstreamClient link;
    private final LinkMetrics metrics;
    private final List<Subscription> subscriptions = new ArrayList<>();

    public Forwarder(Bus bus, LinkStore store, UpstreamClient link, LinkMetrics metrics) {
        this.bus = bus;
        this.store = store;
        this.link = link;
        this.metrics = metrics;
    }

    public void start() {
        subscriptions.add(bus.subscribe(Topic.FINDINGS, GROUP, (key, f) -> queue(Message.of(f))));
        subscriptions.add(bus.subscribe(Topic.ALARMS, GROUP, (key, e) -> {
            if (FORWARDED.contains(e.type()) && (e.actor() == null || !e.actor().startsWith(AnswerApplier.COUNTY_PREFIX))) {
                queue(Message.of(e));
            }
        }));
    }

    /** Stored (retried twice on a database error) before the bus hands us the next message. */
    private void queue(Message m) throws InterruptedException {
        byte[] body;
        try {
            body = Wire.encode(m);
            if (body.length > Wire.MAX_MESSAGE && m.finding() != null && m.finding().snapshot() != null) {
                // a frame over the link's limit would be refused and resent forever: send it without its picture
                Finding f = m.finding();
                LOG.warn("cascade: finding {} is {} bytes with its snapshot; forwarding it without", f.id(), body.length);
                body = Wire.encode(Message.of(f.withoutSnapshot()));
            }
            if (body.length > Wire.MAX_MESSAGE) {
                throw new IllegalArgumentException(body.length + " bytes, over the link's " + Wire.MAX_MESSAGE);
            }
        } catch (IllegalArgumentException e) {
            metrics.lost(UpstreamClient.PEER);
            LOG.error("cascade: cannot encode a {} for the county, not forwarded: {}", m.kind(), m, e);
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                LinkStore.Appended a = store.append(UpstreamClient.PEER, body);
                if (a.dropped() > 0) {
                    metrics.dropped(UpstreamClient.PEER, a.dropped());
                    LOG.error("cascade: queue for the county is full; dropped its {} oldest messages", a.dropped());
                }
                link.wake();
                return;
            } catch (SQLException e) {
                if (attempt == 3) {
                    metrics.lost(UpstreamClient.PEER);
                    LOG.error("cascade: {} NOT queued for the county after {} attempts: {}", m.kind(), attempt, m, e);
                    return;
                }
                Thread.sleep(100L * attempt);
            }
        }
    }

    @Override
    public void close() {
        subscriptions.forEach(Subscription::close);
    }
}
