package io.safegrid.assessment.schedule;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.assessment.accident.AccidentBook;
import io.safegrid.assessment.report.ReportPeriod;
import io.safegrid.assessment.report.ReportService;
import io.safegrid.assessment.report.ReportTexts;
import io.safegrid.config.AssessmentConfig;
import io.safegrid.config.ConfigSource;
import io.safegrid.model.assessment.ReportJob;
import io.safegrid.model.assessment.ReportSpan;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.notice.GridNotice;
import io.safegrid.model.notice.GridNotices;
import io.safegrid.model.notice.NoticeAttachment;
import io.safegrid.model.notice.NoticeRefused;
import io.safegrid.model.notice.NoticeRoute;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the configured reports once their period closed: at the configured hour after the day, the
 * week or the month ended, the report is made and the node's roster is told through the deployment's
 * channels: an e-mail carries the PDF and the xlsx (Chinese) as attachments and the link, a DingTalk or
 * WeCom message the link that downloads it. A sent report is recorded with the accidents, so it goes out once, restarts included; one
 * that failed is tried again on the next tick.
 */
public final class ReportSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReportSchedule.class);
    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private final ConfigSource config;
    private final ReportService reports;
    private final GridNotices notices;
    /** Routes a report already went out on, so that retrying it after one channel failed repeats no other. */
    private final java.util.Set<String> routesSent = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AccidentBook book;
    private final Clock clock;
    private final ZoneId zone;
    private final Counter sent;
    private final Counter failed;
    private ScheduledExecutorService timer;

    public ReportSchedule(ConfigSource config, ReportService reports, GridNotices notices, AccidentBook book, Clock clock,
                          ZoneId zone, MeterRegistry registry) {
        this.config = config;
        this.reports = reports;
        this.notices = notices;
        this.book = book;
        this.clock = clock;
        this.zone = zone;
        this.sent = Counter.builder("safegrid.reports.sent").description("scheduled reports sent").register(registry);
        this.failed = Counter.builder("safegrid.reports.send.failed").description("scheduled reports that failed, retried")
                .register(registry);
    }

    public ReportSchedule start(Duration every) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "report-schedule");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                tick();
            } catch (RuntimeException e) {
                LOG.error("report schedule tick failed", e);
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Sends every report that is due and not sent yet; returns how many went out. */
    public int tick() {
        Instant now = clock.instant();
        LocalDate today = now.atZone(zone).toLocalDate();
        int n = 0;
        for (AssessmentConfig.ScheduledReport r : config.current().assessment().reports()) {
            GridPath node = GridPath.parse(r.node());
            if (!config.current().grid().contains(node)) {
                continue;
            }
            for (String s : r.spans()) {
                ReportSpan span = ReportSpan.valueOf(s.toUpperCase(Locale.ROOT));
                ReportPeriod p = ReportPeriod.previous(span, today, zone);
                Instant due = p.last().plusDays(1).atStartOfDay(zone).plusHours(r.hour()).toInstant();
                if (now.isBefore(due) || wasSent(node, span, p.first())) {
                    continue;
                }
                try {
                    send(node, span, p);
                    n++;
                } catch (Exception e) {
                    failed.increment();
                    LOG.warn("scheduled {} report of {} for {} not sent, tried again next tick: {}", span, node, p.first(),
                            e.toString());
                }
            }
        }
        return n;
    }

    private void send(GridPath node, ReportSpan span, ReportPeriod p) throws Exception {
        ReportJob j = reports.start(node, span, p.first());
        if (!reports.await(j.id(), Duration.ofMinutes(5)) || !reports.job(j.id()).orElseThrow().done()) {
            throw new IllegalStateException("report " + j.id() + " not made: " + reports.job(j.id()).map(ReportJob::error).orElse("?"));
        }
        String name = config.current().grid().node(node).map(GridNode::name).orElse(node.toString());
        ReportTexts zh = new ReportTexts("zh");
        ReportTexts en = new ReportTexts("en");
        String base = config.current().node().consoleUrl();
        String link = (base == null ? "" : base.replaceAll("/+$", "")) + "/api/v1/reports/file?node=" + node + "&span="
                + span.name().toLowerCase(Locale.ROOT) + "&day=" + p.first() + "&format=pdf";
        String key = "report:" + node + ":" + span + ":" + p.first();
        String file = "report-" + node.toString().replace('/', '-') + "-" + span.name().toLowerCase(Locale.ROOT) + "-" + p.first();
        List<NoticeAttachment> files = List.of(
                new NoticeAttachment(file + ".pdf", "application/pdf", reports.file(j.id(), "pdf", "zh").orElseThrow()),
                new NoticeAttachment(file + ".xlsx", XLSX, reports.file(j.id(), "xlsx", "zh").orElseThrow()));
        GridNotice notice = new GridNotice(key, node, List.of(),
                zh.t("report.notice.subject", "node", name, "span", zh.t("report.span." + span)),
                en.t("report.notice.subject", "node", name, "span", en.t("report.span." + span)),
                zh.t("report.notice.text", "node", name, "span", zh.t("report.span." + span), "first", p.first(), "last", p.last()),
                en.t("report.notice.text", "node", name, "span", en.t("report.span." + span), "first", p.first(), "last", p.last()),
                link, clock.instant(), files);
        for (NoticeRoute route : notices.routes(notice)) {
            // a retry of this report (a channel failed) skips the routes that already took it
            if (!routesSent.add(key + "|" + route)) {
                continue;
            }
            try {
                notices.send(notice, route);
            } catch (NoticeRefused refused) {
                LOG.warn("{} report of {} cannot go to {} on {}: {}", span, node, route.recipient(), route.channelId(),
                        refused.getMessage());
            } catch (Exception e) {
                routesSent.remove(key + "|" + route);
                throw e;
            }
        }
        markSent(node, span, p.first());
        routesSent.removeIf(r -> r.startsWith(key + "|"));   // marked sent: its routes need no memory
        sent.increment();
        LOG.info("scheduled {} report of {} for {} .. {} sent to its roster", span, node, p.first(), p.last());
    }

    private boolean wasSent(GridPath node, ReportSpan span, LocalDate first) {
        try (Connection c = book.connect(); PreparedStatement p = c.prepareStatement(
                "SELECT 1 FROM report_sent WHERE node = ? AND span = ? AND first_day = ?")) {
            p.setString(1, node.toString());
            p.setString(2, span.name());
            p.setDate(3, Date.valueOf(first));
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("report schedule: " + e.getMessage(), e);
        }
    }

    private void markSent(GridPath node, ReportSpan span, LocalDate first) throws SQLException {
        try (Connection c = book.connect(); PreparedStatement p = c.prepareStatement(
                "INSERT INTO report_sent (node, span, first_day, sent_ms) VALUES (?,?,?,?)")) {
            p.setString(1, node.toString());
            p.setString(2, span.name());
            p.setDate(3, Date.valueOf(first));
            p.setLong(4, clock.millis());
            p.executeUpdate();
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
