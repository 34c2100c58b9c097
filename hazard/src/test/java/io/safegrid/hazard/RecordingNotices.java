package io.safegrid.hazard;

import io.safegrid.model.notice.GridNotice;
import io.safegrid.model.notice.GridNotices;
import io.safegrid.model.notice.NoticeRefused;
import io.safegrid.model.notice.NoticeRoute;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Rosters and channels as a test sets them: each notice goes to one route (its node's duty desk) or,
 * with {@code perPerson}, to every named person on the {@code sms} and {@code mail} channels; a route
 * named in {@code failing} fails (retryable) until removed, one in {@code refusing} for good.
 */
public final class RecordingNotices implements GridNotices {
    /** Each notice once per route that took it, in order. */
    public final List<GridNotice> delivered = new CopyOnWriteArrayList<>();
    public final List<String> sends = new CopyOnWriteArrayList<>();
    public final Set<String> failing = ConcurrentHashMap.newKeySet();
    public final Set<String> refusing = ConcurrentHashMap.newKeySet();
    public volatile boolean perPerson;

    @Override
    public List<NoticeRoute> routes(GridNotice n) {
        if (!perPerson) {
            return List.of(new NoticeRoute("duty", "desk", null));
        }
        List<NoticeRoute> out = new ArrayList<>();
        for (String p : n.people()) {
            out.add(new NoticeRoute(p, "sms", "1380000" + p.length()));
            out.add(new NoticeRoute(p, "mail", p + "@example.org"));
        }
        return out;
    }

    @Override
    public void send(GridNotice n, NoticeRoute r) throws Exception {
        String route = r.recipient() + "/" + r.channelId();
        sends.add(n.key() + " " + route);
        if (refusing.contains(route)) {
            throw new NoticeRefused("refused " + route, null);
        }
        if (failing.contains(route)) {
            throw new IOException("gateway down for " + route);
        }
        delivered.add(n);
    }
}
