package io.safegrid.assessment;

import static io.safegrid.assessment.Fixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.assessment.report.ReportService;
import io.safegrid.model.assessment.Report;
import io.safegrid.model.assessment.ReportFigures;
import io.safegrid.model.assessment.ReportJob;
import io.safegrid.model.assessment.ReportSpan;
import io.safegrid.model.assessment.UnitScore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report files open with real tools (pdftotext, POI) and carry the figures the API gives. */
class ReportFilesTest {
    @TempDir
    Path dir;
    ReportService reports;
    Report report;
    String job;

    @BeforeEach
    void make() throws Exception {
        var s = sources(dir, true);
        reports = new ReportService(source(deployment(config(List.of("fatal"), 0))), () -> s, ZONE,
                Clock.fixed(T, ZoneOffset.UTC), new SimpleMeterRegistry());
        ReportJob j = reports.start(CTY, ReportSpan.MONTHLY, LocalDate.of(2026, 10, 15));
        job = j.id();
        assertThat(reports.await(job, Duration.ofSeconds(60))).isTrue();
        assertThat(reports.job(job).orElseThrow().state()).isEqualTo("done");
        report = reports.report(job).orElseThrow();
    }

    @AfterEach
    void close() {
        reports.close();
    }

    @Test
    void theFiguresRollUpTheMonthFromTheVillagesToTheCounty() {
        assertThat(report.first()).isEqualTo(LocalDate.of(2026, 10, 1));
        assertThat(report.last()).isEqualTo(LocalDate.of(2026, 10, 31));
        assertThat(report.total().alarms()).isEqualTo(5);
        assertThat(report.total().byLevel()).containsEntry("red", 1L).containsEntry("yellow", 2L).containsEntry("orange", 1L);
        assertThat(report.total().byKind()).containsEntry("THRESHOLD", 3L).containsEntry("FIRE", 1L);
        assertThat(report.children()).extracting(ReportFigures::name).containsExactlyInAnyOrder("煤炭局", "一镇", "二镇");
        ReportFigures t1 = row("一镇");
        assertThat(t1.alarms()).isEqualTo(4);
        assertThat(t1.ackMedianMinutes()).isEqualTo(4.0);
        assertThat(t1.hazardsOpened()).isEqualTo(2); // h2, h3 reported in October; h1 before it
        assertThat(t1.hazardsClosed()).isEqualTo(2); // h1, h3
        assertThat(t1.inspectionsDue()).isEqualTo(3); // k1, k2, k3 due in October
        assertThat(report.ranking()).extracting(UnitScore::name).contains("一镇", "二镇", "煤炭局", "一村", "二村");
    }

    private ReportFigures row(String name) {
        return report.children().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void thePdfReadsBackInChineseWithTheSameNumbers() throws Exception {
        String text = pdftotext(reports.file(job, "pdf", "zh").orElseThrow());
        assertThat(text).contains("样县安全生产月汇总汇报", "统计期间：2026-10-01 至 2026-10-31", "下级汇总", "考核排名",
                "一级（红色）".substring(0, 2));
        String t1Line = line(text, "一镇");
        ReportFigures t1 = row("一镇");
        assertThat(t1Line.trim().split("\\s+")).containsSubsequence("一镇", String.valueOf(t1.alarms()),
                String.valueOf(t1.ackMedianMinutes()), String.valueOf(t1.ackWithinTimeout()));
        UnitScore first = report.ranking().stream().filter(u -> u.name().equals("一镇")).findFirst().orElseThrow();
        assertThat(text).contains(String.valueOf(first.score()));
        assertThat(line(text, "告警总数")).contains(String.valueOf(report.total().alarms()));

        String en = pdftotext(reports.file(job, "pdf", "en").orElseThrow());
        assertThat(en).contains("monthly work-safety report", "Roll-up of the level below", "一镇");
    }

    @Test
    void theSpreadsheetReadsBackWithTheSameNumbersAndItsCharts() throws Exception {
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(reports.file(job, "xlsx", "zh").orElseThrow()))) {
            XSSFSheet summary = wb.getSheet("总体情况");
            assertThat(valueOf(summary, "告警总数")).isEqualTo(report.total().alarms());
            assertThat(valueOf(summary, "新增隐患")).isEqualTo(report.total().hazardsOpened());
            assertThat(summary.getDrawingPatriarch().getCharts()).hasSize(1);
            XSSFSheet rollup = wb.getSheet("下级汇总");
            for (ReportFigures f : report.children()) {
                Row r = rowOf(rollup, f.name());
                assertThat(r.getCell(1).getNumericCellValue()).isEqualTo(f.alarms());
                assertThat(r.getCell(7).getNumericCellValue()).isEqualTo(f.hazardsOverdue());
            }
            assertThat(rollup.getDrawingPatriarch().getCharts()).hasSize(1);
            XSSFSheet ranking = wb.getSheet("考核排名");
            for (UnitScore u : report.ranking()) {
                assertThat(rowOf(ranking, u.name()).getCell(3).getNumericCellValue()).isEqualTo(u.score());
            }
        }
    }

    static double valueOf(XSSFSheet sheet, String label) {
        return rowOf(sheet, label).getCell(1).getNumericCellValue();
    }

    static Row rowOf(XSSFSheet sheet, String label) {
        DataFormatter f = new DataFormatter();
        for (Row r : sheet) {
            for (int c = 0; c < 2 && c < r.getLastCellNum(); c++) {
                if (r.getCell(c) != null && label.equals(f.formatCellValue(r.getCell(c)))) {
                    return r;
                }
            }
        }
        throw new AssertionError("no row " + label + " in " + sheet.getSheetName());
    }

    static String line(String text, String start) {
        return text.lines().filter(l -> l.trim().startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with " + start + " in:\n" + text));
    }

    String pdftotext(byte[] pdf) throws Exception {
        return pdftotext(dir, pdf);
    }

    static String pdftotext(Path dir, byte[] pdf) throws Exception {
        Path in = Files.write(dir.resolve("r.pdf"), pdf);
        Path out = dir.resolve("r.txt");
        Process p = new ProcessBuilder("pdftotext", "-layout", "-enc", "UTF-8", in.toString(), out.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
