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
import io.safegrid.model.device.Sensor;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Inhibition per enterprise: while its link or power is down (a site-offline alarm, from ingest or
 * derived here when every configured device is offline) its device-offline findings fold into that
 * one alarm instead of waking people once per device.
 */
final class SiteInhibition {
    private final Escalator escalator;
    private final Lifecycle lifecycle;
    private final Counter foldedCount;

    SiteInhibition(Escalator escalator, Lifecycle lifecycle, MeterRegistry registry) {
        this.escalator = escalator;
        this.lifecycle = lifecycle;
        foldedCount = Counter.builder("safegrid.alarms.findings").tag("outcome", "folded-into-site").register(registry);
    }

    /** A device-offline finding without an alarm of its own, under an offline site: a line on the site's alarm. */
    boolean folds(Draft tx, Deployment d, Finding f, Instant now) {
        GridPath ent = OpenAlarms.enterpriseOf(d, f.site());
        String siteAlarmId = tx.memory().siteAlarm(ent);
        if (siteAlarmId == null) {
            return false;
        }
        tx.fold(ent, f);
        if (!f.isActive()) {
            return true;
        }
        Alarm s = tx.memory().open(siteAlarmId);
        Alarm u = new Alarm(s.id(), s.key(), s.kind(), s.level(), s.peakLevel(), s.state(), s.acknowledged(), s.sourceId(),
                s.site(), s.rule(), s.message(), s.value(), s.peakValue(), s.threshold(), s.count() + 1, s.raisedAt(),
                f.time(), now, s.assignee());
        tx.save(u, AlarmEvent.Type.UPDATED, Draft.SYSTEM,
                "设备 " + f.sourceId() + " 离线，并入本告警 / device " + f.sourceId() + " offline, folded into this alarm");
        foldedCount.increment();
        return true;
    }

    /** A site alarm takes over the device-offline alarms already open below it: they stop escalating. */
    void siteRaised(Draft tx, Deployment d, Alarm site) {
        GridPath ent = OpenAlarms.enterpriseOf(d, site.site());
        tx.inhibit(ent, site.id());
        for (Alarm a : List.copyOf(tx.memory().openAlarms())) {
            if (a.kind() == FindingKind.DEVICE_OFFLINE && OpenAlarms.isActive(a) && a.site() != null && a.site().isWithin(ent)) {
                escalator.stopTimer(tx, a.id());
                tx.save(a, AlarmEvent.Type.UPDATED, Draft.SYSTEM, "并入企业断线告警 " + site.id()
                        + "，不再单独升级 / inhibited by site alarm " + site.id() + ", no separate escalation");
            }
        }
    }

    /** The site is back: devices still offline get their own alarms now. */
    void siteCleared(Draft tx, Deployment d, Alarm site, GridPath ent, Instant now) {
        if (!site.id().equals(tx.memory().siteAlarm(ent))) {
            return;
        }
        for (Finding df : List.copyOf(tx.endInhibition(ent))) {
            lifecycle.raise(tx, d, df, now);
        }
    }

    /** A device back online ends a derived site alarm: the enterprise is evidently reachable. */
    void deviceCleared(Draft tx, Deployment d, Alarm device, Finding f, GridPath ent, Instant now) {
        Alarm s = tx.memory().open(tx.memory().siteAlarm(ent));
        if (s != null && AlarmService.DERIVED_SITE_OFFLINE.equals(s.rule())) {
            lifecycle.clear(tx, d, s, new Finding(UUID.randomUUID().toString(), FindingKind.SITE_OFFLINE, s.level(),
                    Condition.CLEARED, s.sourceId(), s.site(), s.rule(), null, Double.NaN, Double.NaN, f.time(),
                    "设备 " + device.sourceId() + " 恢复在线 / device " + device.sourceId() + " back online", null, null), now);
        }
    }

    /** Every configured device of the enterprise offline at once: most likely its link or power, one alarm. */
    void deviceRaised(Draft tx, Deployment d, Finding f) {
        GridPath ent = OpenAlarms.enterpriseOf(d, f.site());
        if (ent == null || tx.memory().siteAlarm(ent) != null) {
            return;
        }
        List<Sensor> devices = d.sensors().stream().filter(s -> s.site() != null && s.site().isWithin(ent)).toList();
        if (devices.size() < 2) {
            return;
        }
        Set<String> offline = tx.memory().openAlarms().stream()
                .filter(a -> a.kind() == FindingKind.DEVICE_OFFLINE && OpenAlarms.isActive(a)).map(Alarm::sourceId)
                .collect(Collectors.toSet());
        if (!devices.stream().allMatch(s -> offline.contains(s.id()))) {
            return;
        }
        Level level = tx.memory().openAlarms().stream().filter(a -> a.kind() == FindingKind.DEVICE_OFFLINE && OpenAlarms.isActive(a)
                        && a.site() != null && a.site().isWithin(ent)).map(Alarm::level).max(Level::compareTo)
                .orElse(f.level());
        lifecycle.handle(tx, d, new Finding(UUID.randomUUID().toString(), FindingKind.SITE_OFFLINE, level, Condition.ACTIVE,
                ent.id(), ent, AlarmService.DERIVED_SITE_OFFLINE, null, devices.size(), Double.NaN, f.time(),
                "企业全部 " + devices.size() + " 台设备离线（疑似断线/断电）/ all " + devices.size()
                        + " devices of the enterprise offline (link or power down?)", null, Map.of()));
    }
}
