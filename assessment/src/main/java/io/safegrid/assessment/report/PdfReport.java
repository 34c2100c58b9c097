package io.safegrid.assessment.report;

import com.lowagie.text.Document;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.PdfContentByte;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import io.safegrid.model.assessment.Report;
import io.safegrid.model.assessment.ReportFigures;
import io.safegrid.model.assessment.UnitScore;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * A report as PDF (OpenPDF), with the CJK font embedded so the Chinese reads anywhere and comes
 * back out of {@code pdftotext}: the summary, alarms by level as a bar chart, by kind, the roll-up
 * of the level below and the ranking.
 */
public final class PdfReport {
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final Map<String, Color> LEVEL_COLOURS = Map.of("red", new Color(0xD9, 0x30, 0x25),
            "orange", new Color(0xF2, 0x8C, 0x28), "yellow", new Color(0xE8, 0xC5, 0x1A), "blue", new Color(0x2F, 0x6F, 0xD6));

    private PdfReport() {
    }

    public static byte[] render(Report r, String lang, ZoneId zone) {
        ReportTexts t = new ReportTexts(lang);
        Font title = new Font(CjkFont.get(), 16, Font.BOLD);
        Font head = new Font(CjkFont.get(), 12, Font.BOLD);
        Font body = new Font(CjkFont.get(), 9);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document doc = new Document(PageSize.A4.rotate(), 28, 28, 28, 28);
        PdfWriter writer = PdfWriter.getInstance(doc, out);
        doc.addTitle(t.t("report.title", "node", r.name(), "span", t.t("report.span." + r.span())));
        doc.open();
        doc.add(new Paragraph(t.t("report.title", "node", r.name(), "span", t.t("report.span." + r.span())), title));
        doc.add(new Paragraph(t.t("report.period", "first", r.first(), "last", r.last()) + "    "
                + t.t("report.madeAt", "at", AT.format(r.madeAt().atZone(zone))), body));

        doc.add(new Paragraph(t.t("report.summary"), head));
        PdfPTable summary = new PdfPTable(2);
        summary.setWidthPercentage(60);
        summary.setHorizontalAlignment(Element.ALIGN_LEFT);
        List<Object> v = Cells.values(r.total(), t);
        for (int i = 0; i < Cells.KEYS.size(); i++) {
            summary.addCell(new Phrase(t.t(Cells.KEYS.get(i)), body));
            summary.addCell(new Phrase(Cells.text(v.get(i)), body));
        }
        summary.addCell(new Phrase(t.t("report.ackP90"), body));
        summary.addCell(new Phrase(r.total().ackP90Minutes() == null ? "-" : Cells.text(r.total().ackP90Minutes()), body));
        doc.add(summary);

        doc.add(new Paragraph(t.t("report.byLevel"), head));
        PdfPTable levels = new PdfPTable(2);
        levels.setWidthPercentage(40);
        levels.setHorizontalAlignment(Element.ALIGN_LEFT);
        r.total().byLevel().forEach((l, n) -> {
            levels.addCell(new Phrase(t.level(l), body));
            levels.addCell(new Phrase(String.valueOf(n), body));
        });
        doc.add(levels);
        levelBars(writer.getDirectContent(), r.total(), doc.getPageSize().getWidth() - 480, writer.getVerticalPosition(true));

        doc.add(new Paragraph(t.t("report.byKind"), head));
        PdfPTable kinds = new PdfPTable(2);
        kinds.setWidthPercentage(40);
        kinds.setHorizontalAlignment(Element.ALIGN_LEFT);
        r.total().byKind().forEach((k, n) -> {
            kinds.addCell(new Phrase(t.kind(k), body));
            kinds.addCell(new Phrase(String.valueOf(n), body));
        });
        doc.add(kinds);

        if (!r.children().isEmpty()) {
            doc.add(new Paragraph(t.t("report.rollup"), head));
            PdfPTable rows = new PdfPTable(Cells.KEYS.size() + 1);
            rows.setWidthPercentage(100);
            rows.setHeaderRows(1);
            header(rows, t.t("report.node"), body);
            for (String k : Cells.KEYS) {
                header(rows, t.t(k), body);
            }
            for (ReportFigures f : r.children()) {
                rows.addCell(new Phrase(f.name(), body));
                for (Object o : Cells.values(f, t)) {
                    rows.addCell(new Phrase(Cells.text(o), body));
                }
            }
            doc.add(rows);
        }

        if (!r.ranking().isEmpty()) {
            doc.add(new Paragraph(t.t("report.ranking"), head));
            PdfPTable rank = new PdfPTable(new float[] {1, 4, 2, 2});
            rank.setWidthPercentage(60);
            rank.setHorizontalAlignment(Element.ALIGN_LEFT);
            rank.setHeaderRows(1);
            for (String k : List.of("report.rank", "report.unit", "report.kind", "report.score")) {
                header(rank, t.t(k), body);
            }
            for (UnitScore s : r.ranking()) {
                rank.addCell(new Phrase(String.valueOf(s.rank()), body));
                rank.addCell(new Phrase(s.name(), body));
                rank.addCell(new Phrase(kindLabel(s, t), body));
                rank.addCell(new Phrase(Cells.text(s.score()) + (s.vetoed() ? " (" + t.t("report.vetoed") + ")" : ""), body));
            }
            doc.add(rank);
        }
        doc.close();
        return out.toByteArray();
    }

    private static String kindLabel(UnitScore s, ReportTexts t) {
        return "zh".equals(t.lang()) ? s.kind().labelZh() : s.kind().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static void header(PdfPTable table, String text, Font f) {
        PdfPCell c = new PdfPCell(new Phrase(text, f));
        c.setBackgroundColor(new Color(0xEE, 0xF2, 0xF7));
        table.addCell(c);
    }

    /** Alarms by level as horizontal bars beside the level table. */
    private static void levelBars(PdfContentByte cb, ReportFigures f, float x, float top) {
        long max = Math.max(1, f.byLevel().values().stream().mapToLong(Long::longValue).max().orElse(1));
        float y = top + 34; // level rows are about 10.5 pt high, the first ends 44 pt above the table's bottom
        float width = 240;
        cb.saveState();
        for (Map.Entry<String, Long> e : f.byLevel().entrySet()) {
            cb.setColorFill(LEVEL_COLOURS.getOrDefault(e.getKey(), Color.GRAY));
            cb.rectangle(x, y, Math.max(1, width * e.getValue() / max), 8);
            cb.fill();
            y -= 10.5f;
        }
        cb.restoreState();
    }
}
