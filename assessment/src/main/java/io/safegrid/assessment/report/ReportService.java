package io.safegrid.assessment.report;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.safegrid.assessment.indicator.Sources;
import io.safegrid.config.ConfigSource;
import io.safegrid.model.assessment.Report;
import io.safegrid.model.assessment.ReportJob;
import io.safegrid.model.assessment.ReportSpan;
import io.safegrid.model.assessment.Reports;
import io.safegrid.model.grid.GridPath;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes reports in the background, one at a time (a county month reads a million alarms: two at
 * once would only share the same disk), and keeps the last few with their progress, figures and
 * rendered files for the console, the CLI and the schedule.
 */
public final class ReportService implements Reports, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReportService.class);
    static final int KEPT = 32;

    private final ConfigSource config;
    private final Supplier<Sources> sources;
    private final ZoneId zone;
    private final Clock clock;
    private final ExecutorService worker;
    private final Map<String, Entry> jobs = new LinkedHashMap<>();
    private final Timer made;
    private final Counter failed;

    private static final class Entry {
        volatile ReportJob job;
        volatile Report report;
        final Map<String, byte[]> files = new ConcurrentHashMap<>();

        Entry(ReportJob job) {
            this.job = job;
        }
    }

    public ReportService(ConfigSource config, Supplier<Sources> sources, ZoneId zone, Clock clock, MeterRegistry registry) {
        this.config = config;
        this.sources = sources;
        this.zone = zone;
        this.clock = clock;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "report-maker");
            t.setDaemon(true);
            return t;
        });
        this.made = Timer.builder("safegrid.reports.duration").description("time to make a report's figures")
                .register(registry);
        this.failed = Counter.builder("safegrid.reports.failed").description("reports that could not be made")
                .register(registry);
    }

    @Override
    public ReportJob start(GridPath node, ReportSpan span, LocalDate day) {
        if (!config.current().grid().contains(node)) {
            throw new IllegalArgumentException("no such grid node: " + node);
        }
        String id = UUID.randomUUID().toString();
        Entry e = new Entry(new ReportJob(id, node, span, day, "running", 0, "queued", null));
        synchronized (jobs) {
            jobs.put(id, e);
            Iterator<Map.Entry<String, Entry>> it = jobs.entrySet().iterator();
            while (jobs.size() > KEPT && it.hasNext()) {
                if (!"running".equals(it.next().getValue().job.state())) {
                    it.remove();
                }
            }
        }
        worker.execute(() -> make(e));
        return e.job;
    }

    private void make(Entry e) {
        ReportJob j = e.job;
        long t0 = System.nanoTime();
        try {
            ReportPeriod period = ReportPeriod.of(j.span(), j.day(), zone);
            Report r = ReportMaker.make(config.current(), sources.get(), j.node(), period, zone,
                    (done, phase) -> e.job = new ReportJob(j.id(), j.node(), j.span(), j.day(), "running", done, phase, null),
                    clock.instant());
            e.report = r;
            e.job = new ReportJob(j.id(), j.node(), j.span(), j.day(), "running", 0.85, "pdf", null);
            e.files.put("pdf:zh", PdfReport.render(r, "zh", zone));
            e.job = new ReportJob(j.id(), j.node(), j.span(), j.day(), "running", 0.95, "xlsx", null);
            e.files.put("xlsx:zh", XlsxReport.render(r, "zh"));
            e.job = new ReportJob(j.id(), j.node(), j.span(), j.day(), "done", 1, "done", null);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            made.record(took);
            LOG.info("report {} of {} for {} {} made in {} ms: {} alarms", j.id(), j.node(), j.span(), period.first(),
                    took.toMillis(), r.total().alarms());
        } catch (RuntimeException | Error ex) {
            failed.increment();
            e.job = new ReportJob(j.id(), j.node(), j.span(), j.day(), "failed", e.job.progress(), e.job.phase(),
                    ex.getClass().getSimpleName() + ": " + ex.getMessage());
            LOG.error("report {} of {} failed", j.id(), j.node(), ex);
        }
    }

    @Override
    public Optional<ReportJob> job(String id) {
        synchronized (jobs) {
            return Optional.ofNullable(jobs.get(id)).map(e -> e.job);
        }
    }

    @Override
    public Optional<Report> report(String jobId) {
        synchronized (jobs) {
            return Optional.ofNullable(jobs.get(jobId)).map(e -> e.report);
        }
    }

    @Override
    public Optional<byte[]> file(String jobId, String format, String lang) {
        Entry e;
        synchronized (jobs) {
            e = jobs.get(jobId);
        }
        if (e == null || e.report == null || !e.job.done()) {
            return Optional.empty();
        }
        String l = io.safegrid.model.text.Texts.language(lang);
        return Optional.of(switch (format) {
            case "pdf" -> e.files.computeIfAbsent("pdf:" + l, k -> PdfReport.render(e.report, l, zone));
            case "xlsx" -> e.files.computeIfAbsent("xlsx:" + l, k -> XlsxReport.render(e.report, l));
            default -> throw new IllegalArgumentException("a report is pdf or xlsx, not " + format);
        });
    }

    /** Waits for a job to end (the CLI and the schedule); false when it has not within {@code timeout}. */
    public boolean await(String id, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Optional<ReportJob> j = job(id);
            if (j.isEmpty() || !"running".equals(j.get().state())) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
