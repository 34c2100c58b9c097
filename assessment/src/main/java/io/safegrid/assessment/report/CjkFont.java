package io.safegrid.assessment.report;

import com.lowagie.text.pdf.BaseFont;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The font the PDF reports embed: Chinese needs a CJK font in the file itself (a reader cannot be
 * assumed to have one). The first of the usual Debian fonts found is used; {@code SAFEGRID_REPORT_FONT}
 * names another (a .ttf, or a .ttc with {@code ,index}).
 */
final class CjkFont {
    static final List<String> CANDIDATES = List.of(
            "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc,0",
            "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc,0",
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc,0",
            "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf");
    private static volatile BaseFont font;

    private CjkFont() {
    }

    static BaseFont get() {
        BaseFont f = font;
        if (f == null) {
            synchronized (CjkFont.class) {
                if (font == null) {
                    font = load();
                }
                f = font;
            }
        }
        return f;
    }

    private static BaseFont load() {
        String configured = System.getenv("SAFEGRID_REPORT_FONT");
        for (String c : configured == null ? CANDIDATES : List.of(configured)) {
            String file = c.contains(",") ? c.substring(0, c.lastIndexOf(',')) : c;
            if (Files.isReadable(Path.of(file))) {
                try {
                    return BaseFont.createFont(c, BaseFont.IDENTITY_H, BaseFont.EMBEDDED);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot load the report font " + c + ": " + e.getMessage(), e);
                }
            }
        }
        throw new IllegalStateException("no CJK font for PDF reports: install fonts-wqy-microhei or set SAFEGRID_REPORT_FONT");
    }
}
