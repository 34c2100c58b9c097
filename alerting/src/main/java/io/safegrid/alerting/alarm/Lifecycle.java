package io.safegrid.alerting.alarm;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.alerting.escalation.Escalator;
import io.safegrid.alerting.ledger.Draft;
import io.safegrid.alerting.ledger.OpenAlarms;
import io.safegrid.config.Deployment;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a finding does to its alarm: raises a new one, updates the active one for its key (a
 * repeat, a level change) or clears it. Device-offline findings of an enterprise that is offline
 * as a whole go to {@link SiteInhibition} instead. Decides into the caller's {@link Draft}.
 */
final class Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private final Escalator escalator;
    private final SiteInhibition inhibition;
    private final Clock clock;
    private final Counter clearedUnknown;

    Lifecycle(Escalator escalator, Clock clock, MeterRegistry registry) {
        this.escalator = escalator;
        this.clock = clock;
        this.inhibition = new SiteInhibition(escalator, this, registry);
        clearedUnknown = Counter.builder("safegrid.alarms.findings").tag("outcome", "clear-without-alarm").register(registry);
    }

    void handle(Draft tx, Deployment d, Finding f) {
        Instant now = clock.instant();
        Alarm a = tx.memory().activeFor(f.alarmKey());
        if (f.kind() == FindingKind.DEVICE_OFFLINE && a == null && inhibition.folds(tx, d, f, now)) {
            return;
        }
        if (f.isActive()) {
            if (a == null) {
                raise(tx, d, f, now);
            } else {
                update(tx, d, a, f, now);
            }
        } else if (a == null) {
            clearedUnknown.increment();
            LOG.debug("cleared finding {} without an active alarm", f.alarmKey());
        } else {
            clear(tx, d, a, f, now);
        }
    }

    void raise(Draft tx, Deployment d, Finding f, Instant now) {
        Alarm a = new Alarm(UUID.randomUUID().toString(), f.alarmKey(), f.kind(), f.level(), f.level(), AlarmState.RAISED,
                false, f.sourceId(), f.site(), f.rule(), f.message(), f.value(), f.value(), f.threshold(), 1, f.time(),
                f.time(), now, null);
        AlarmEvent raised = tx.save(a, AlarmEvent.Type.RAISED, Draft.SYSTEM, f.message());
        tx.activate(a);
        // once committed and its notifications handed over: a console write is no step of the alarm path
        tx.onCommit(() -> LOG.info("alarm {} raised: {} {} at {}: {}", a.id(), a.level(), a.kind(), a.site(), a.message()));
        if (a.kind() == FindingKind.SITE_OFFLINE) {
            inhibition.siteRaised(tx, d, a);
        }
        if (!escalator.silenced(tx, a, now)) {
            escalator.start(tx, d, a, raised, now);
        }
        if (a.kind() == FindingKind.DEVICE_OFFLINE) {
            inhibition.deviceRaised(tx, d, f);
        }
    }

    private void update(Draft tx, Deployment d, Alarm a, Finding f, Instant now) {
        Level peak = f.level().compareTo(a.peakLevel()) > 0 ? f.level() : a.peakLevel();
        boolean belowRule = !Double.isNaN(f.threshold()) && f.value() < f.threshold();
        double peakValue = Double.isNaN(a.peakValue()) ? f.value()
                : belowRule ? Math.min(a.peakValue(), f.value()) : Math.max(a.peakValue(), f.value());
        Alarm u = new Alarm(a.id(), a.key(), a.kind(), f.level(), peak, a.state(), a.acknowledged(), a.sourceId(),
                a.site(), a.rule(), f.message(), f.value(), peakValue, f.threshold(), a.count() + 1, a.raisedAt(),
                f.time(), now, a.assignee());
        int cmp = f.level().compareTo(a.level());
        if (cmp == 0) {
            tx.save(u, AlarmEvent.Type.UPDATED, Draft.SYSTEM, "repeat #" + u.count() + ": " + f.message());
            return;
        }
        AlarmEvent changed = tx.save(u, AlarmEvent.Type.LEVEL_CHANGED, Draft.SYSTEM,
                a.level().labelZh() + " → " + u.level().labelZh() + " / " + a.level().colour() + " → " + u.level().colour());
        if (cmp < 0 || escalator.silenced(tx, u, now)) {
            return; // a fall tells nobody
        }
        escalator.rise(tx, d, u, changed, now);
    }

    void clear(Draft tx, Deployment d, Alarm a, Finding f, Instant now) {
        Alarm u = new Alarm(a.id(), a.key(), a.kind(), a.level(), a.peakLevel(), AlarmState.CLEARED, a.acknowledged(),
                a.sourceId(), a.site(), a.rule(), a.message(), f.value(), a.peakValue(), a.threshold(), a.count(),
                a.raisedAt(), f.time(), now, a.assignee());
        tx.save(u, AlarmEvent.Type.CLEARED, Draft.SYSTEM, f.message());
        tx.deactivate(a);
        escalator.stopTimer(tx, a.id());
        tx.onCommit(() -> LOG.info("alarm {} cleared ({}acknowledged)", a.id(), a.acknowledged() ? "" : "not "));
        GridPath ent = OpenAlarms.enterpriseOf(d, a.site());
        if (a.kind() == FindingKind.SITE_OFFLINE) {
            inhibition.siteCleared(tx, d, a, ent, now);
        }
        if (a.kind() == FindingKind.DEVICE_OFFLINE) {
            inhibition.deviceCleared(tx, d, a, f, ent, now);
        }
    }
}
