package io.safegrid.alerting.ledger;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Optional;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open-alarm aggregate the decisions read: alarms not yet closed, the active one per
 * {@link Finding#alarmKey()} (dedup), escalation timers, site alarms that inhibit their devices,
 * and the silences. Rebuilt from the store at start. Its readers are public; it is changed only by
 * the {@link AlarmLedger}, on the ledger's thread, through a {@link Draft}.
 *
 * <p>While a draft is decided and committed, every change is also written to an undo log: when the
 * commit fails, {@link #undo()} puts memory back to the last commit.
 */
public final class OpenAlarms {
    /** Concurrent: {@link #openAlarms()} is also read off the ledger's thread (the desk's active list). */
    private final Map<String, Alarm> open = new ConcurrentHashMap<>();
    private final Map<String, String> activeByKey = new HashMap<>();
    private final Map<String, EscalationDue> escalations = new HashMap<>();
    private final Map<GridPath, String> siteAlarms = new HashMap<>();
    /** Device-offline findings folded into their enterprise's site alarm, by enterprise. */
    private final Map<GridPath, Map<String, Finding>> folded = new HashMap<>();
    private final SilenceBook silences = new SilenceBook();
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

    private <K, V> void put(Map<K, V> m, K k, V v) {
        V old = m.put(k, v);
        remember(m, k, old);
    }

    private <K, V> void remove(Map<K, V> m, K k) {
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
    private void touchSites() {
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
    private void touchSilences() {
        if (undo != null && !silencesSaved) {
            silencesSaved = true;
            List<Silence> before = new ArrayList<>(silences.list(true, java.time.Instant.EPOCH));
            undo.push(() -> silences.load(before));
        }
    }

    // ---------------------------------------------------------------- changing (the ledger's Draft only)

    void activate(String key, String alarmId) {
        put(activeByKey, key, alarmId);
    }

    /** The key's active alarm is gone (cleared, or closed while it was the active one). */
    void deactivate(String key, String alarmId) {
        if (alarmId == null || alarmId.equals(activeByKey.get(key))) {
            remove(activeByKey, key);
        }
    }

    void timer(String alarmId, EscalationDue due) {
        put(escalations, alarmId, due);
    }

    void dropTimer(String alarmId) {
        remove(escalations, alarmId);
    }

    void siteAlarm(GridPath enterprise, String alarmId) {
        touchSites();
        siteAlarms.put(enterprise, alarmId);
    }

    /** The site alarm of {@code enterprise} ended: it inhibits no more; returns the device findings it held. */
    Map<String, Finding> endSiteAlarm(GridPath enterprise) {
        touchSites();
        siteAlarms.remove(enterprise);
        Map<String, Finding> still = folded.remove(enterprise);
        return still == null ? Map.of() : still;
    }

    /** A closed alarm inhibits nothing. */
    void forgetSiteAlarm(String alarmId) {
        if (siteAlarms.containsValue(alarmId)) {
            touchSites();
            siteAlarms.values().remove(alarmId);
        }
    }

    void fold(GridPath enterprise, Finding f) {
        touchSites();
        Map<String, Finding> devices = folded.computeIfAbsent(enterprise, e -> new HashMap<>());
        if (f.isActive()) {
            devices.put(f.alarmKey(), f);
        } else {
            devices.remove(f.alarmKey());
        }
    }

    Silence createSilence(String deviceId, GridPath node, String user, String reason, Instant expiresAt, Instant now) {
        touchSilences();
        return silences.create(deviceId, node, user, reason, expiresAt, now);
    }

    Silence endSilence(String silenceId, String user, Instant now) {
        touchSilences();
        return silences.end(silenceId, user, now);
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
        // no moment without the alarms that stay open: the desk reads this map off the ledger's thread
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

    // ---------------------------------------------------------------- reading (any decision)

    /** The active alarm for a finding's key, or null. */
    public Alarm activeFor(String alarmKey) {
        String id = activeByKey.get(alarmKey);
        return id == null ? null : open.get(id);
    }

    /** An alarm not yet closed, or null. */
    public Alarm open(String alarmId) {
        return alarmId == null ? null : open.get(alarmId);
    }

    /** Every alarm not yet closed (a live view: copy it before changing alarms while walking it). */
    public Collection<Alarm> openAlarms() {
        return Collections.unmodifiableCollection(open.values());
    }

    public int size() {
        return open.size();
    }

    /** The escalation timer of an alarm, or null. */
    public EscalationDue escalation(String alarmId) {
        return escalations.get(alarmId);
    }

    public Map<String, EscalationDue> escalations() {
        return Collections.unmodifiableMap(escalations);
    }

    /** The site-offline alarm inhibiting an enterprise, or null. */
    public String siteAlarm(GridPath enterprise) {
        return siteAlarms.get(enterprise);
    }

    public Optional<Silence> silenceMatching(String sourceId, GridPath site, Instant now) {
        return silences.matching(sourceId, site, now);
    }

    public List<Silence> silences(boolean includeEnded, Instant now) {
        return silences.list(includeEnded, now);
    }

    public static boolean isActive(Alarm a) {
        return a.state() == AlarmState.RAISED || a.state() == AlarmState.ACKNOWLEDGED;
    }

    /** The enterprise a site belongs to (inhibition works per enterprise); the site itself outside any. */
    public static GridPath enterpriseOf(Deployment d, GridPath site) {
        if (site == null) {
            return null;
        }
        return d.grid().enterpriseOf(site).map(GridNode::path).orElse(site);
    }
}
