package io.safegrid.cascade.county;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.cascade.link.Applier;
import io.safegrid.cascade.link.Message;
import io.safegrid.config.CascadeConfig;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmDesk;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.grid.GridPath;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies what an enterprise sends to the county. A finding is published on the county's own bus,
 * so the county's alerting raises, escalates and notifies up the county grid as for its own
 * devices. An alarm transition made at the enterprise (acknowledged, commented, assigned, closed)
 * goes on the timeline of the county's alarm for the same source and rule, as a comment by
 * {@code enterprise:<peer>/<user>}. Anything for a site outside the peer's configured grid subtree is
 * refused: one enterprise cannot report for another.
 */
public final class PeerInbox implements Applier {
    private static final Logger LOG = LoggerFactory.getLogger(PeerInbox.class);
    public static final String ENTERPRISE_PREFIX = "enterprise:";
    /** How long a transition waits for the county's alerting to raise the alarm its finding just asked for. */
    static final Duration MATCH_WAIT = Duration.ofSeconds(3);

    private final Supplier<CascadeConfig> config;
    private final Bus bus;
    private final AlarmDesk desk;
    private final Counter unmatched;

    /** @param desk the county's alarms; null when this node runs no alerting (transitions are then only counted) */
    public PeerInbox(Supplier<CascadeConfig> config, Bus bus, AlarmDesk desk, MeterRegistry registry) {
        this.config = config;
        this.bus = bus;
        this.desk = desk;
        this.unmatched = Counter.builder("safegrid.cascade.unmatched").tag("kind", "alarm")
                .description("answers or alarm transitions with no matching open alarm here").register(registry);
    }

    @Override
    public void apply(String peer, Message m) throws Exception {
        GridPath subtree = config.get().peer(peer).map(CascadeConfig.Peer::grid)
                .orElseThrow(() -> new Refused("unknown-peer", "peer '" + peer + "' is no longer configured"));
        switch (m.kind()) {
            case FINDING -> finding(peer, subtree, m.finding());
            case ALARM -> transition(peer, subtree, m.event());
            default -> throw new Refused("wrong-direction", "an enterprise sent a " + m.kind() + "; only the county answers");
        }
    }

    private void finding(String peer, GridPath subtree, Finding f) throws Exception {
        if (f == null) {
            throw new Refused("bad-message", "a FINDING message without its finding");
        }
        requireWithin(peer, subtree, f.site(), "finding " + f.id() + " of " + f.sourceId());
        bus.publish(Topic.FINDINGS, f.sourceId(), f);
    }

    private void transition(String peer, GridPath subtree, AlarmEvent e) throws Exception {
        if (e == null || e.alarm() == null) {
            throw new Refused("bad-message", "an ALARM message without its alarm");
        }
        Alarm theirs = e.alarm();
        requireWithin(peer, subtree, theirs.site(), "alarm " + theirs.id() + " of " + theirs.sourceId());
        Optional<Alarm> ours = desk == null ? Optional.empty() : awaitOpenAlarm(theirs);
        if (ours.isEmpty()) {
            unmatched.increment();
            LOG.warn("cascade {}: enterprise alarm {} {} by {} matches no open county alarm (key {})", peer,
                    theirs.id(), e.type(), e.actor(), theirs.key());
            return;
        }
        String text = "企业端" + label(e.type()) + " / " + e.type().name().toLowerCase() + " at the enterprise"
                + (e.note() == null || e.note().isBlank() ? "" : ": " + e.note());
        desk.comment(ours.get().id(), ENTERPRISE_PREFIX + peer + "/" + e.actor(), text);
    }

    private static String label(AlarmEvent.Type t) {
        return switch (t) {
            case ACKNOWLEDGED -> "已确认";
            case COMMENTED -> "备注";
            case ASSIGNED -> "已指派";
            case CLOSED -> "已关闭";
            default -> t.name();
        };
    }

    private void requireWithin(String peer, GridPath subtree, GridPath site, String what) throws Refused {
        if (site == null || !site.isWithin(subtree)) {
            throw new Refused("outside-grid", what + " is at " + site + ", outside " + peer + "'s grid " + subtree);
        }
    }

    /**
     * The county's open alarm for the same source and rule. The finding that raises it was applied
     * just before, but the county's alerting handles it on its own thread, so wait a little for it.
     */
    private Optional<Alarm> awaitOpenAlarm(Alarm theirs) throws InterruptedException {
        long deadline = System.nanoTime() + MATCH_WAIT.toNanos();
        while (true) {
            Optional<Alarm> a = desk.list(AlarmQuery.open(theirs.site()).page(0, AlarmQuery.MAX_LIMIT)).items().stream()
                    .filter(x -> x.key().equals(theirs.key())).max(Comparator.comparing(Alarm::raisedAt));
            if (a.isPresent() || System.nanoTime() > deadline) {
                return a;
            }
            Thread.sleep(50);
        }
    }
}
