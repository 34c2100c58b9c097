package io.safegrid.assessment.report;

import io.safegrid.model.assessment.Report;
import io.safegrid.model.assessment.ReportFigures;
import io.safegrid.model.assessment.UnitScore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xddf.usermodel.chart.AxisPosition;
import org.apache.poi.xddf.usermodel.chart.BarDirection;
import org.apache.poi.xddf.usermodel.chart.ChartTypes;
import org.apache.poi.xddf.usermodel.chart.LegendPosition;
import org.apache.poi.xddf.usermodel.chart.XDDFBarChartData;
import org.apache.poi.xddf.usermodel.chart.XDDFCategoryAxis;
import org.apache.poi.xddf.usermodel.chart.XDDFDataSource;
import org.apache.poi.xddf.usermodel.chart.XDDFDataSourcesFactory;
import org.apache.poi.xddf.usermodel.chart.XDDFNumericalDataSource;
import org.apache.poi.xddf.usermodel.chart.XDDFValueAxis;
import org.apache.poi.xssf.usermodel.XSSFChart;
import org.apache.poi.xssf.usermodel.XSSFDrawing;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * A report as a spreadsheet (Apache POI): a summary sheet with alarms by level and kind and a chart
 * of the levels, the roll-up of the level below with a chart of its alarms, and the ranking with a
 * chart of the scores. Numbers are stored as numbers, so the reader can compute with them.
 */
public final class XlsxReport {
    private XlsxReport() {
    }

    public static byte[] render(Report r, String lang) {
        ReportTexts t = new ReportTexts(lang);
        try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            summary(wb.createSheet(t.t("report.sheet.summary")), r, t);
            rollup(wb.createSheet(t.t("report.sheet.rollup")), r, t);
            ranking(wb.createSheet(t.t("report.sheet.ranking")), r, t);
            wb.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void summary(XSSFSheet sh, Report r, ReportTexts t) {
        int row = 0;
        sh.createRow(row++).createCell(0).setCellValue(t.t("report.title", "node", r.name(), "span", t.t("report.span." + r.span())));
        sh.createRow(row++).createCell(0).setCellValue(t.t("report.period", "first", r.first(), "last", r.last()));
        row++;
        List<Object> v = Cells.values(r.total(), t);
        for (int i = 0; i < Cells.KEYS.size(); i++) {
            Row x = sh.createRow(row++);
            x.createCell(0).setCellValue(t.t(Cells.KEYS.get(i)));
            set(x, 1, v.get(i));
        }
        row++;
        sh.createRow(row++).createCell(0).setCellValue(t.t("report.byLevel"));
        int firstLevel = row;
        for (Map.Entry<String, Long> e : r.total().byLevel().entrySet()) {
            Row x = sh.createRow(row++);
            x.createCell(0).setCellValue(t.level(e.getKey()));
            x.createCell(1).setCellValue(e.getValue());
        }
        int lastLevel = row - 1;
        row++;
        sh.createRow(row++).createCell(0).setCellValue(t.t("report.byKind"));
        for (Map.Entry<String, Long> e : r.total().byKind().entrySet()) {
            Row x = sh.createRow(row++);
            x.createCell(0).setCellValue(t.kind(e.getKey()));
            x.createCell(1).setCellValue(e.getValue());
        }
        sh.setColumnWidth(0, 40 * 256);
        sh.setColumnWidth(1, 14 * 256);
        bars(sh, t.t("report.chart.levels"), firstLevel, lastLevel, 0, 1, 3, 2, 12, 20);
    }

    private static void rollup(XSSFSheet sh, Report r, ReportTexts t) {
        Row h = sh.createRow(0);
        h.createCell(0).setCellValue(t.t("report.node"));
        for (int i = 0; i < Cells.KEYS.size(); i++) {
            h.createCell(i + 1).setCellValue(t.t(Cells.KEYS.get(i)));
        }
        int row = 1;
        for (ReportFigures f : r.children()) {
            Row x = sh.createRow(row++);
            x.createCell(0).setCellValue(f.name());
            List<Object> v = Cells.values(f, t);
            for (int i = 0; i < v.size(); i++) {
                set(x, i + 1, v.get(i));
            }
        }
        sh.setColumnWidth(0, 24 * 256);
        if (row > 1) {
            bars(sh, t.t("report.chart.alarms"), 1, row - 1, 0, 1, 0, row + 1, 12, row + 22);
        }
    }

    private static void ranking(XSSFSheet sh, Report r, ReportTexts t) {
        Row h = sh.createRow(0);
        List<String> keys = List.of("report.rank", "report.unit", "report.kind", "report.score", "report.vetoed");
        for (int i = 0; i < keys.size(); i++) {
            h.createCell(i).setCellValue(t.t(keys.get(i)));
        }
        int row = 1;
        for (UnitScore s : r.ranking()) {
            Row x = sh.createRow(row++);
            x.createCell(0).setCellValue(s.rank());
            x.createCell(1).setCellValue(s.name());
            x.createCell(2).setCellValue("zh".equals(t.lang()) ? s.kind().labelZh() : s.kind().name().toLowerCase(java.util.Locale.ROOT));
            x.createCell(3).setCellValue(s.score());
            x.createCell(4).setCellValue(s.vetoed() ? t.t("report.vetoed") : "");
        }
        sh.setColumnWidth(1, 24 * 256);
        if (row > 1) {
            bars(sh, t.t("report.chart.scores"), 1, row - 1, 1, 3, 6, 0, 16, 20);
        }
    }

    private static void set(Row x, int col, Object v) {
        if (v instanceof Number n) {
            x.createCell(col).setCellValue(n.doubleValue());
        } else {
            x.createCell(col).setCellValue(String.valueOf(v));
        }
    }

    /** A bar chart of column {@code valueCol} against the labels in {@code labelCol}, rows {@code first..last}. */
    private static void bars(XSSFSheet sh, String title, int first, int last, int labelCol, int valueCol,
                             int col1, int row1, int col2, int row2) {
        XSSFDrawing drawing = sh.createDrawingPatriarch();
        XSSFChart chart = drawing.createChart(drawing.createAnchor(0, 0, 0, 0, col1, row1, col2, row2));
        chart.setTitleText(title);
        chart.setTitleOverlay(false);
        chart.getOrAddLegend().setPosition(LegendPosition.BOTTOM);
        XDDFCategoryAxis x = chart.createCategoryAxis(AxisPosition.BOTTOM);
        XDDFValueAxis y = chart.createValueAxis(AxisPosition.LEFT);
        XDDFDataSource<String> labels = XDDFDataSourcesFactory.fromStringCellRange(sh,
                new CellRangeAddress(first, last, labelCol, labelCol));
        XDDFNumericalDataSource<Double> values = XDDFDataSourcesFactory.fromNumericCellRange(sh,
                new CellRangeAddress(first, last, valueCol, valueCol));
        XDDFBarChartData data = (XDDFBarChartData) chart.createData(ChartTypes.BAR, x, y);
        data.setBarDirection(BarDirection.COL);
        data.addSeries(labels, values).setTitle(title, null);
        chart.plot(data);
    }
}
