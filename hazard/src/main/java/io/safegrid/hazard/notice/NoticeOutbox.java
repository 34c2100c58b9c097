package io.safegrid.hazard.notice;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.hazard.store.HazardDatabase;
import io.safegrid.hazard.store.HazardRows.Notice;
import io.safegrid.hazard.store.NoticeRows;
import io.safegrid.model.notice.GridNotice;
import io.safegrid.model.notice.GridNotices;
import io.safegrid.model.notice.NoticeRefused;
import io.safegrid.model.notice.NoticeRoute;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the register's stored notices through the deployment's rosters and channels ({@link GridNotices}).
 * A notice is split into routes (one person on one channel) when it is first sent, as the rosters stand
 * then; each route is stored, sent, and its outcome committed on its own, so a channel that took it is
 * never sent it again and one that failed is retried with backoff, across restarts. A node killed
 * between a send and its commit sends that one route again (at least once; the route's key is the same).
 */
public final class NoticeOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(NoticeOutbox.class);
    private static final int BATCH = 500;
    /** 10 s, 20 s, 40 s … capped at 10 min, as the alarm outbox; a deadline stays news for hours, so 50 attempts. */
    static final Duration FIRST_RETRY = Duration.ofSeconds(10);
    static final Duration MAX_RETRY = Duration.ofMinutes(10);
    static final int MAX_ATTEMPTS = 50;

    private final HazardDatabase db;
    private final Object writes;
    private final Clock clock;
    private final Supplier<String> consoleUrl;
    private final Counter sent;
    private final Counter retried;
    private final Counter failed;

    /** {@code writes}: the register's write lock; {@code consoleUrl}: the base of the notices' links. */
    public NoticeOutbox(HazardDatabase db, Object writes, Clock clock, MeterRegistry registry, Supplier<String> consoleUrl) {
        this.db = db;
        this.writes = writes;
        this.clock = clock;
        this.consoleUrl = consoleUrl;
        sent = Counter.builder("safegrid.hazard.notices").tag("outcome", "sent").register(registry);
        retried = Counter.builder("safegrid.hazard.notices").tag("outcome", "retried").register(registry);
        failed = Counter.builder("safegrid.hazard.notices").tag("outcome", "failed").register(registry);
    }

    /** The wait after failed attempt {@code attempt} (1-based). */
    static Duration backoff(int attempt) {
        Duration d = FIRST_RETRY.multipliedBy(1L << Math.min(20, Math.max(0, attempt - 1)));
        return d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
    }

    /** Resolves new notices' routes, then sends every route due; returns how many routes went out. */
    public synchronized int deliverOnce(GridNotices to) {
        for (Notice n : db.read("hazard notices", c -> NoticeRows.unrouted(c, BATCH))) {
            List<NoticeRoute> routes = to.routes(message(n));
            Instant now = clock.instant();
            db.write("hazard notices", writes, c -> {
                NoticeRows.route(c, n, routes, now);
                return null;
            });
        }
        int out = 0;
        for (NoticeRows.Due d : db.read("hazard notices", c -> NoticeRows.due(c, clock.instant(), BATCH))) {
            int attempt = d.attempts() + 1;
            String status;
            String error = null;
            Instant next = null;
            try {
                to.send(message(d.notice()), d.route());
                status = "SENT";
                sent.increment();
                out++;
            } catch (NoticeRefused e) {
                status = "FAILED";
                error = e.getMessage();
                failed.increment();
                LOG.error("hazard notice {} {} to {} via {} refused for good: {}", d.notice().hazardId(), d.notice().step(),
                        d.route().recipient(), d.route().channelId(), error);
            } catch (Exception e) {
                error = e.getClass().getSimpleName() + ": " + e.getMessage();
                if (attempt >= MAX_ATTEMPTS) {
                    status = "FAILED";
                    failed.increment();
                    LOG.error("hazard notice {} {} to {} via {} failed {} times, given up: {}", d.notice().hazardId(),
                            d.notice().step(), d.route().recipient(), d.route().channelId(), attempt, error);
                } else {
                    status = "QUEUED";
                    next = clock.instant().plus(backoff(attempt));
                    retried.increment();
                    LOG.warn("hazard notice {} {} to {} via {} failed (attempt {}), retry at {}: {}", d.notice().hazardId(),
                            d.notice().step(), d.route().recipient(), d.route().channelId(), attempt, next, error);
                }
            }
            String s = status;
            String err = error;
            Instant at = next;
            db.write("hazard notices", writes, c -> NoticeRows.attempted(c, d, s, clock.instant(), at, err));
        }
        return out;
    }

    private GridNotice message(Notice n) {
        String link = consoleUrl.get() + (n.hazardId().startsWith("ar-") ? "/#/dossier/" : "/#/hazards/") + n.hazardId();
        return new GridNotice("hazard:" + n.hazardId() + ":" + n.step(), n.node(), n.people(), n.subjectZh(), n.subjectEn(),
                n.textZh(), n.textEn(), link, n.created());
    }
}
