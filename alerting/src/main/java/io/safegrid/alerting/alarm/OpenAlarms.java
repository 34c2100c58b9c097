package io.safegrid.alerting.alarm;

import io.safegrid.alerting.silence.SilenceBook;
import io.safegrid.config.Deployment;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.alarm.Silence;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The memory mirror of what the lifecycle decides on: alarms not yet closed, the active one per
 * {@link Finding#alarmKey()} (dedup), escalation timers, site alarms that inhibit their devices,
 * and the silences. Rebuilt from the store at start and after a failed transaction; changed only
 * under the transaction lock, so not thread-safe on its own.
 *
 * <p>While a transaction runs, every change is also written to an undo log: when the store fails
 * so badly that it cannot be read back, {@link #undo()} puts memory back to the last commit, and
 * the transaction is run again on the stand-in store (see {@link Transactions}).
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
    /** Non-null while a transaction runs: how to put each change back, newest first. */
    private ArrayDeque<Runnable> undo;
    private boolean sitesSaved;
    private boolean silencesSaved;

    /** A transaction starts: changes from here on can be undone. */
    void begin() {
        undo = new ArrayDeque<>();
        sitesSaved = false;
        silencesSaved = false;
    }

    /** The transaction committed (or memory was reloaded from the store): nothing to undo any more. */
    void commit() {
        undo = null;
    }

    /** Puts memory back to where it was when the transaction began. */
    void undo() {
        if (undo != null) {
            while (!undo.isEmpty()) {
                undo.pop().run();
            }
            undo = null;
        }
    }

    <K, V> void put(Map<K, V> m, K k, V v) {
        V old = m.put(k, v);
        remember(m, k, old);
    }

    <K, V> void remove(Map<K, V> m, K k) {
        if (m.containsKey(k)) {
            remember(m, k, m.remove(k));
        }
    }

    private <K, V> void remember(Map<K, V> m, K k, V old) {
        if (undo != null) {
            undo.push(() -> {
                if (old == null) {
                    m.remove(k);
                } else {
                    m.put(k, old);
                }
            });
        }
    }

    /** Called before site alarms or folded findings change (they are few: a copy is simplest). */
    void touchSites() {
        if (undo != null && !sitesSaved) {
            sitesSaved = true;
            Map<GridPath, String> sites = new HashMap<>(siteAlarms);
            Map<GridPath, Map<String, Finding>> f = new HashMap<>();
            folded.forEach((k, v) -> f.put(k, new HashMap<>(v)));
            undo.push(() -> {
                siteAlarms.clear();
                siteAlarms.putAll(sites);
                folded.clear();
                folded.putAll(f);
            });
        }
    }

    /** Called before a silence is added or ended. */
    void touchSilences() {
        if (undo != null && !silencesSaved) {
            silencesSaved = true;
            List<Silence> before = new ArrayList<>(silences.list(true, java.time.Instant.EPOCH));
            undo.push(() -> silences.load(before));
        }
    }

    void restore(AlarmStore store, Deployment d) throws SQLException {
        undo = null;
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
            remove(open, a.id());
        } else {
            put(open, a.id(), a);
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
