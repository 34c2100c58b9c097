package io.safegrid.cascade.county;

import io.safegrid.cascade.link.LinkMetrics;
import io.safegrid.cascade.link.Message;
import io.safegrid.cascade.link.Wire;
import io.safegrid.cascade.store.LinkStore;
import io.safegrid.config.CascadeConfig;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Subscription;
import io.safegrid.model.bus.Topic;
import java.sql.SQLException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The down-link's source: when someone at the county acknowledges or closes an alarm at a site
 * that belongs to a cascaded enterprise, an answer is queued (durably, numbered) for that peer, so
 * the enterprise's control room sees the county has it in hand.
 */
public final class AnswerRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnswerRelay.class);
    public static final String GROUP = "cascade-answers";

    private final Supplier<CascadeConfig> config;
    private final Bus bus;
    private final LinkStore store;
    private final Consumer<String> wake;
    private final LinkMetrics metrics;
    private Subscription subscription;

    /** @param wake called with a peer id after something was queued for it */
    public AnswerRelay(Supplier<CascadeConfig> config, Bus bus, LinkStore store, Consumer<String> wake,
                       LinkMetrics metrics) {
        this.config = config;
        this.bus = bus;
        this.store = store;
        this.wake = wake;
        this.metrics = metrics;
    }

    public void start() {
        subscription = bus.subscribe(Topic.ALARMS, GROUP, (key, e) -> onEvent(e));
    }

    private void onEvent(AlarmEvent e) throws InterruptedException {
        if (e.type() != AlarmEvent.Type.ACKNOWLEDGED && e.type() != AlarmEvent.Type.CLOSED) {
            return;
        }
        Alarm a = e.alarm();
        if (a == null || a.site() == null || (e.actor() != null && e.actor().startsWith(PeerInbox.ENTERPRISE_PREFIX))) {
            return;
        }
        for (CascadeConfig.Peer peer : config.get().peers()) {
            if (a.site().isWithin(peer.grid())) {
                queue(peer.id(), Message.of(new Message.Answer(a.key(), a.site(), e.type(), e.actor(), e.note(), e.time(),
                        a.id())));
            }
        }
    }

    private void queue(String peer, Message m) throws InterruptedException {
        byte[] body = Wire.encode(m); // an answer is a few hundred bytes: no size check needed
        for (int attempt = 1; ; attempt++) {
            try {
                metrics.queue(peer, store);
                LinkStore.Appended a = store.append(peer, body);
                if (a.dropped() > 0) {
                    metrics.dropped(peer, a.dropped());
                    LOG.error("cascade {}: answer queue full; dropped its {} oldest answers", peer, a.dropped());
                }
                wake.accept(peer);
                return;
            } catch (SQLException ex) {
                if (attempt == 3) {
                    metrics.lost(peer);
                    LOG.error("cascade {}: answer NOT queued after {} attempts: {}", peer, attempt, m, ex);
                    return;
                }
                Thread.sleep(100L * attempt);
            }
        }
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
