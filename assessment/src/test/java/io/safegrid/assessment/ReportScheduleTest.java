package io.safegrid.assessment;

import static io.safegrid.assessment.Fixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.assessment.indicator.Sources;
import io.safegrid.assessment.report.ReportService;
import io.safegrid.assessment.schedule.ReportSchedule;
import io.safegrid.config.AssessmentConfig;
import io.safegrid.model.notice.GridNotice;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scheduled report goes out once its period closed and the hour passed, once, a restart included, and is retried after a failure. */
class ReportScheduleTest {
    @TempDir
    Path dir;

    private static AssessmentConfig scheduled() {
        AssessmentConfig d = AssessmentConfig.defaults();
        return new AssessmentConfig(null, null, null, d.weights(), d.ackTarget(), d.vetoSeverities(), d.vetoScore(),
                List.of(new AssessmentConfig.ScheduledReport("cty", List.of("daily", "monthly"), 8)));
    }

    @Test
    void theDailyReportOfOctoberFirstGoesOutAtEightOnTheSecondOnce() throws Exception {
        Sources s = sources(dir, true);
        List<GridNotice> told = new CopyOnWriteArrayList<>();
        boolean[] down = {true};
        var config = source(deployment(scheduled()));
        Clock before = Clock.fixed(Instant.parse("2026-10-01T23:59:00Z"), ZoneOffset.UTC); // 07:59 on the 2nd in Shanghai
        Clock after = Clock.fixed(Instant.parse("2026-10-02T00:01:00Z"), ZoneOffset.UTC);
        try (ReportService reports = new ReportService(config, () -> s, ZONE, after, new SimpleMeterRegistry())) {
            // at 07:59 on the 2nd only September's monthly report is due (since 08:00 on the 1st)
            assertThat(new ReportSchedule(config, reports, oneRoute(told::add), s.accidents(), before, ZONE, new SimpleMeterRegistry()).tick())
                    .isEqualTo(1);
            assertThat(told).extracting(GridNotice::key).containsExactly("report:cty:MONTHLY:2026-09-01");
            ReportSchedule schedule = new ReportSchedule(config, reports, oneRoute(n -> {
                if (down[0]) {
                    throw new java.io.IOException("channel down");
                }
                told.add(n);
            }), s.accidents(), after, ZONE, new SimpleMeterRegistry());
            assertThat(schedule.tick()).as("the channel failed: nothing marked sent").isZero();
            down[0] = false;
            assertThat(schedule.tick()).isEqualTo(1);
            assertThat(told).extracting(GridNotice::key).containsExactlyInAnyOrder("report:cty:DAILY:2026-10-01",
                    "report:cty:MONTHLY:2026-09-01");
            GridNotice daily = told.stream().filter(n -> n.key().contains("DAILY")).findFirst().orElseThrow();
            assertThat(daily.node()).isEqualTo(CTY);
            assertThat(daily.subjectZh()).isEqualTo("样县日报已生成");
            assertThat(daily.link()).endsWith("/api/v1/reports/file?node=cty&span=daily&day=2026-10-01&format=pdf");
            assertThat(schedule.tick()).isZero();
            assertThat(new ReportSchedule(config, reports, oneRoute(told::add), sources(dir, true).accidents(), after, ZONE,
                    new SimpleMeterRegistry()).tick()).as("after a restart").isZero();
            assertThat(told).hasSize(2);
        }
    }

    interface Sink {
        void take(GridNotice n) throws Exception;
    }

    /** The county's one person on duty, on one channel. */
    private static io.safegrid.model.notice.GridNotices oneRoute(Sink sink) {
        return new io.safegrid.model.notice.GridNotices() {
            @Override
            public List<io.safegrid.model.notice.NoticeRoute> routes(GridNotice n) {
                return List.of(new io.safegrid.model.notice.NoticeRoute("duty", "sms", "13800000000"));
            }

            @Override
            public void send(GridNotice n, io.safegrid.model.notice.NoticeRoute r) throws Exception {
                sink.take(n);
            }
        };
    }
}
