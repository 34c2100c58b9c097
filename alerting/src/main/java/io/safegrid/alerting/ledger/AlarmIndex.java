package io.safegrid.alerting.ledger;

import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.grid.GridPath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The list side of the alarm store: for every stored alarm only what a list can filter on (raise
 * time, site, level, state), kept in raise order, so a console query is a scan over small entries
 * in memory with an exact total, and only the page's rows are read from H2. SQL over the whole
 * table (filter, count, sort, skip) cost up to 600 ms at 100,000 alarms; this costs a few.
 *
 * <p>Sites are interned to small numbers and each query judges each distinct site once against its
 * subtree. About 150 bytes per alarm (id string and lookup map included). Rebuilt from the table at start and after
 * a rollback; used only on the alarm ledger's thread (not thread-safe).
 */
final class AlarmIndex {
    /** Newest last: raise time ascending, and id descending within one millisecond, so a backwards scan is the list order. */
    private static final Comparator<Entry> ORDER = Comparator.comparingLong((Entry e) -> e.raisedAt)
            .thenComparing((Entry e) -> e.id, Comparator.reverseOrder());

    private static final class Entry {
        final String id;
        final long raisedAt;
        final int site;
        byte level;
        byte state;

        Entry(String id, long raisedAt, int site) {
            this.id = id;
            this.raisedAt = raisedAt;
            this.site = site;
        }
    }

    /** Matching ids of one page and how many match in all. */
    record Page(List<String> ids, long total) {
    }

    private final ArrayList<Entry> byRaise = new ArrayList<>();
    private final Map<String, Entry> byId = new HashMap<>();
    private final Map<String, Integer> siteIds = new HashMap<>();
    private final List<GridPath> sites = new ArrayList<>(Collections.singletonList(null)); // 0 = no site

    void clear() {
        byRaise.clear();
        byId.clear();
    }

    int size() {
        return byRaise.size();
    }

    /** Adds the alarm or updates its level and state. */
    void put(Alarm a) {
        put(a.id(), a.raisedAt().toEpochMilli(), a.site(), a.level(), a.state());
    }

    void put(String id, long raisedAt, GridPath site, Level level, AlarmState state) {
        Entry e = byId.get(id);
        if (e != null && e.raisedAt != raisedAt) {
            byRaise.remove(position(e));
            byId.remove(id);
            e = null;
        }
        if (e == null) {
            e = new Entry(id, raisedAt, siteId(site));
            int at = position(e);
            byRaise.add(at < 0 ? -at - 1 : at, e); // new alarms are nearly always the newest: an append
            byId.put(id, e);
        }
        e.level = (byte) level.ordinal();
        e.state = (byte) state.ordinal();
    }

    private int position(Entry e) {
        int n = byRaise.size();
        if (n == 0 || ORDER.compare(byRaise.get(n - 1), e) < 0) {
            return -n - 1;
        }
        return Collections.binarySearch(byRaise, e, ORDER);
    }

    private int siteId(GridPath site) {
        if (site == null) {
            return 0;
        }
        return siteIds.computeIfAbsent(site.toString(), s -> {
            sites.add(site);
            return sites.size() - 1;
        });
    }

    /** The ids of the query's page, newest raised first, and the exact number of matches. */
    Page query(AlarmQuery q) {
        int levels = mask(q.levels().stream().mapToInt(Enum::ordinal).toArray());
        int states = mask(q.states().stream().mapToInt(Enum::ordinal).toArray());
        long from = q.from() == null ? Long.MIN_VALUE : q.from().toEpochMilli();
        long to = q.to() == null ? Long.MAX_VALUE : q.to().toEpochMilli();
        // per distinct site: 0 not judged yet, 1 inside the subtree, 2 outside
        byte[] inside = q.subtree() == null ? null : new byte[sites.size()];
        List<String> ids = new ArrayList<>(Math.min(q.limit(), 64));
        long total = 0;
        int skip = q.offset();
        for (int i = byRaise.size() - 1; i >= 0; i--) {
            Entry e = byRaise.get(i);
            if (e.raisedAt >= to) {
                continue;
            }
            if (e.raisedAt < from) {
                break; // older from here on
            }
            if ((levels & (1 << e.level)) == 0 || (states & (1 << e.state)) == 0) {
                continue;
            }
            if (inside != null) {
                if (inside[e.site] == 0) {
                    inside[e.site] = (byte) (e.site != 0 && sites.get(e.site).isWithin(q.subtree()) ? 1 : 2);
                }
                if (inside[e.site] != 1) {
                    continue;
                }
            }
            total++;
            if (skip > 0) {
                skip--;
            } else if (ids.size() < q.limit()) {
                ids.add(e.id);
            }
        }
        return new Page(ids, total);
    }

    /** Bit per ordinal; no ordinals means any. */
    private static int mask(int[] ordinals) {
        if (ordinals.length == 0) {
            return -1;
        }
        int m = 0;
        for (int o : ordinals) {
            m |= 1 << o;
        }
        return m;
    }
}
