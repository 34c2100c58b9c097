package io.safegrid.assessment;

import static io.safegrid.assessment.Fixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.alerting.notify.ChannelNotifier;
import io.safegrid.alerting.notify.RosterNotices;
import io.safegrid.assessment.report.ReportService;
import io.safegrid.assessment.schedule.ReportSchedule;
import io.safegrid.config.AssessmentConfig;
import io.safegrid.config.ChannelDef;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Roster;
import io.safegrid.config.UserDef;
import io.safegrid.model.assessment.Report;
import io.safegrid.model.assessment.ReportFigures;
import io.safegrid.model.assessment.ReportJob;
import io.safegrid.model.assessment.ReportSpan;
import io.safegrid.model.assessment.UnitScore;
import io.safegrid.testing.Deployments;
import io.safegrid.testing.SmtpReceiver;
import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduled monthly report reaches the county's person on duty by e-mail with the PDF and the
 * spreadsheet attached, through the node's own roster notices and SMTP channel to a mail server on a
 * socket; read back from the mail, both files carry the numbers the report API gives.
 */
class ReportMailTest {
    @TempDir
    Path dir;

    @Test
    void octobersCountyReportArrivesAsPdfAndXlsxAttachmentsWithTheApisNumbers() throws Exception {
        var s = sources(dir, true);
        AssessmentConfig d = AssessmentConfig.defaults();
        AssessmentConfig scheduled = new AssessmentConfig(null, null, null, d.weights(), d.ackTarget(), d.vetoSeverities(),
                d.vetoScore(), List.of(new AssessmentConfig.ScheduledReport("cty", List.of("monthly"), 8)));
        Clock at = Clock.fixed(Instant.parse("2026-11-01T00:30:00Z"), ZoneOffset.UTC); // 08:30 on November 1st in Shanghai
        try (SmtpReceiver smtp = new SmtpReceiver()) {
            ConfigSource config = ConfigSource.of(Deployments.from(deployment(scheduled))
                    .channel(new ChannelDef("mail", "smtp", Map.of("host", "127.0.0.1", "port", String.valueOf(smtp.port()),
                            "from", "safegrid@cty.example")))
                    .user(new UserDef("duty", "县值班", null, "county-officer", CTY, Map.of("mail", "duty@cty.example"), "zh"))
                    .roster(new Roster(CTY, List.of(), "duty")).build());
            try (ReportService reports = new ReportService(config, () -> s, ZONE, at, new SimpleMeterRegistry())) {
                RosterNotices notices = new RosterNotices(config, at, ZONE, ChannelNotifier.defaults(Duration.ofSeconds(30), at));
                assertThat(new ReportSchedule(config, reports, notices, s.accidents(), at, ZONE, new SimpleMeterRegistry()).tick())
                        .isEqualTo(1);

                assertThat(smtp.mails).hasSize(1);
                assertThat(smtp.mails.get(0).to()).singleElement().asString().contains("duty@cty.example");
                MimeMessage mail = new MimeMessage(Session.getInstance(new Properties()),
                        new ByteArrayInputStream(smtp.mails.get(0).data()));
                assertThat(mail.getSubject()).isEqualTo("样县月报已生成");
                MimeMultipart mixed = (MimeMultipart) mail.getContent();
                BodyPart pdf = part(mixed, "report-cty-monthly-2026-10-01.pdf");
                BodyPart xlsx = part(mixed, "report-cty-monthly-2026-10-01.xlsx");
                assertThat(pdf.getContentType()).startsWith("application/pdf");
                assertThat(xlsx.getContentType()).startsWith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

                // the API's figures for the same month
                ReportJob j = reports.start(CTY, ReportSpan.MONTHLY, LocalDate.of(2026, 10, 1));
                assertThat(reports.await(j.id(), Duration.ofSeconds(60))).isTrue();
                Report api = reports.report(j.id()).orElseThrow();
                assertThat(api.total().alarms()).isEqualTo(5);

                String text = ReportFilesTest.pdftotext(dir, pdf.getInputStream().readAllBytes());
                assertThat(text).contains("样县安全生产月汇总汇报", "统计期间：2026-10-01 至 2026-10-31");
                assertThat(ReportFilesTest.line(text, "告警总数")).contains(String.valueOf(api.total().alarms()));
                ReportFigures t1 = api.children().stream().filter(f -> f.name().equals("一镇")).findFirst().orElseThrow();
                assertThat(ReportFilesTest.line(text, "一镇").trim().split("\\s+")).containsSubsequence("一镇",
                        String.valueOf(t1.alarms()), String.valueOf(t1.ackMedianMinutes()));

                try (XSSFWorkbook wb = new XSSFWorkbook(xlsx.getInputStream())) {
                    XSSFSheet summary = wb.getSheet("总体情况");
                    assertThat(ReportFilesTest.valueOf(summary, "告警总数")).isEqualTo(api.total().alarms());
                    assertThat(ReportFilesTest.valueOf(summary, "新增隐患")).isEqualTo(api.total().hazardsOpened());
                    XSSFSheet ranking = wb.getSheet("考核排名");
                    for (UnitScore u : api.ranking()) {
                        assertThat(ReportFilesTest.rowOf(ranking, u.name()).getCell(3).getNumericCellValue()).isEqualTo(u.score());
                    }
                }
            }
        }
    }

    private static BodyPart part(MimeMultipart mixed, String fileName) throws Exception {
        for (int i = 0; i < mixed.getCount(); i++) {
            if (fileName.equals(mixed.getBodyPart(i).getFileName())) {
                return mixed.getBodyPart(i);
            }
        }
        throw new AssertionError("no attachment " + fileName);
    }
}
