package io.safegrid.alerting.alarm;

import io.safegrid.alerting.silence.SilenceBook;
import io.safegrid.config.Deployment;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The memory mirror of what the lifecycle decides on: alarms not yet closed, the active one per
 * {@link Finding#alarmKey()} (dedup), escalation timers, site alarms that inhibit their devices,
 * and the silences. Rebuilt from the store at start and after a failed transaction; changed only
 * under the transaction lock, so not thread-safe on its own.
 */
final class OpenAlarms {
    /** Concurrent so the outbox may ask whether an alarm is still open without the transaction lock. */
    final Map<String, Alarm> open = new ConcurrentHashMap<>();
    final Map<String, String> activeByKey = new HashMap<>();
    final Map<String, EscalationDue> escalations = new HashMap<>();
    final Map<GridPath, String> siteAlarms = new HashMap<>();
    /** Device-offline findings folded into their enterprise's site alarm, by enterprise. */
    final Map<GridPath, Map<String, Finding>> folded = new HashMap<>();
    final SilenceBook silences = new SilenceBook();

    void restore(AlarmStore store, Deployment d) throws SQLException {
        activeByKey.clear();
        siteAlarms.clear();
        escalations.clear();
        Map<String, Alarm> stored = new HashMap<>();
        for (Alarm a : store.openAlarms()) {
            stored.put(a.id(), a);
            if (isActive(a)) {
                activeByKey.put(a.key(), a.id());
                if (a.kind() == FindingKind.SITE_OFFLINE) {
                    siteAlarms.put(enterpriseOf(d, a.site()), a.id());
                }
            }
        }
        // no moment without the alarms that stay open: the outbox reads this map without the lock
        open.keySet().retainAll(stored.keySet());
        open.putAll(stored);
        escalations.putAll(store.escalations());
        silences.load(store.silences());
    }

    /** The alarm as it stands after a saved change. */
    void saved(Alarm a) {
        if (a.state() == AlarmState.CLOSED) {
            open.remove(a.id());
        } else {
            open.put(a.id(), a);
        }
    }

    /** The active alarm for a finding's key, or null. */
    Alarm activeFor(String alarmKey) {
        String id = activeByKey.get(alarmKey);
        return id == null ? null : open.get(id);
    }

    static boolean isActive(Alarm a) {
        return a.state() == AlarmState.RAISED || a.state() == AlarmState.ACKNOWLEDGED;
    }

    /** The enterprise a site belongs to (inhibition works per enterprise); the site itself outside any. */
    static GridPath enterpriseOf(Deployment d, GridPath site) {
        if (site == null) {
            return null;
        }
        return d.grid().enterpriseOf(site).map(GridNode::path).orElse(site);
    }
}
