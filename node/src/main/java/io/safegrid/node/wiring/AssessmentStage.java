package io.safegrid.node.wiring;

import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.assessment.accident.AccidentBook;
import io.safegrid.assessment.indicator.Sources;
import io.safegrid.assessment.report.ReportService;
import io.safegrid.assessment.schedule.ReportSchedule;
import io.safegrid.assessment.score.AssessmentService;
import io.safegrid.config.AssessmentConfig;
import io.safegrid.config.ConfigSource;
import io.safegrid.hazard.register.HazardService;
import io.safegrid.model.alarm.AlarmFacts;
import io.safegrid.model.notice.GridNotices;
import io.safegrid.model.supervision.InspectionProgress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;

/**
 * The assessment (考核) and the reports (汇总汇报) on a node that runs alerting: they read the alarm
 * ledger, the hazard register and the archive in bulk, inspection completion from whatever the node
 * plugs in ({@link #inspections}), and keep the accidents (and the sent reports) in their own store.
 */
public final class AssessmentStage implements AutoCloseable {
    private static final Duration TICK = Duration.ofMinutes(1);

    private final AlarmFacts alarms;
    private final HazardService hazards;
    private final AccidentBook book;
    private final AssessmentService assessments;
    private final ReportService reports;
    private final ReportSchedule schedule;
    private volatile InspectionProgress inspections;

    AssessmentStage(ConfigSource config, Path dataDir, AlarmFacts alarms, HazardService hazards, GridNotices notices,
                    Clock clock, ZoneId zone, MeterRegistry registry) {
        AssessmentConfig c = config.current().assessment();
        this.alarms = alarms;
        this.hazards = hazards;
        this.book = AccidentBook.open(c.url() == null ? AccidentBook.embeddedUrl(dataDir) : c.url(), c.user(), c.password(),
                clock);
        this.assessments = new AssessmentService(config, this::sources, zone, registry);
        this.reports = new ReportService(config, this::sources, zone, clock, registry);
        this.schedule = new ReportSchedule(config, reports, notices, book, clock, zone, registry).start(TICK);
    }

    private Sources sources() {
        return new Sources(alarms, hazards == null ? null : hazards.facts(), inspections,
                hazards == null ? null : hazards.archive(), book);
    }

    /** Inspection completion (the supervision module's); until one is plugged in, that indicator is "not measured". */
    public AssessmentStage inspections(InspectionProgress progress) {
        this.inspections = progress;
        return this;
    }

    public AssessmentService assessments() { return assessments; }

    public ReportService reports() { return reports; }

    @Override
    public void close() {
        schedule.close();
        reports.close();
    }
}
