package io.safegrid.alerting.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safegrid.model.notice.GridNotice;
import java.time.format.DateTimeFormatter;

/**
 * A grid notice's wording (a hazard's deadline, a major hazard reported, an archive reminder) in the
 * recipient's language: {@code zh}, {@code en}, or null for Chinese then English. An SMS template's
 * alarm placeholders take the notice's facts: {@code {level}} its subject, {@code {message}} its text.
 */
public record NoticeWording(GridNotice n, String lang) implements Wording {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(MessageRenderer.CHINA);

    private boolean zh() { return !"en".equals(lang); }

    private boolean en() { return !"zh".equals(lang); }

    private String say(String zh, String en) {
        return zh() && en() ? zh + " / " + en : zh() ? zh : en;
    }

    @Override
    public String subject() { return say(n.subjectZh(), n.subjectEn()); }

    @Override
    public String title() { return zh() ? n.subjectZh() : n.subjectEn(); }

    private String open() { return zh() && en() ? "查看 Open" : zh() ? "查看" : "Open"; }

    @Override
    public String text() {
        StringBuilder b = new StringBuilder();
        if (zh()) {
            b.append(n.subjectZh()).append("\n").append(n.textZh()).append("\n");
        }
        if (en()) {
            b.append(zh() ? "\n" : "").append(n.subjectEn()).append("\n").append(n.textEn()).append("\n");
        }
        return b.append("\n").append(open()).append(": ").append(n.link()).append("\n").toString();
    }

    @Override
    public String markdown() {
        StringBuilder b = new StringBuilder("### ").append(title()).append("\n\n");
        if (zh()) {
            b.append(n.textZh()).append("\n\n");
        }
        if (en()) {
            b.append(zh() ? "**" + n.subjectEn() + "**\n\n" : "").append(n.textEn()).append("\n\n");
        }
        return b.append("[").append(open()).append("](").append(n.link()).append(")\n").toString();
    }

    @Override
    public String html() {
        StringBuilder b = new StringBuilder("<html><body>");
        if (zh()) {
            b.append("<h3>").append(MessageRenderer.esc(n.subjectZh())).append("</h3><p>").append(MessageRenderer.esc(n.textZh()))
                    .append("</p>");
        }
        if (en()) {
            b.append("<p><b>").append(MessageRenderer.esc(n.subjectEn())).append("</b></p><p>")
                    .append(MessageRenderer.esc(n.textEn())).append("</p>");
        }
        return b.append("<p><a href=\"").append(MessageRenderer.esc(n.link())).append("\">").append(MessageRenderer.esc(open()))
                .append("</a></p></body></html>").toString();
    }

    /** The text is cut first; the link is kept whole. */
    @Override
    public String sms(String template, int max) {
        String head = zh() ? n.subjectZh() + " " + n.textZh() : n.subjectEn() + " " + n.textEn();
        String line = template == null ? head : template.replace("{level}", zh() ? n.subjectZh() : n.subjectEn())
                .replace("{message}", zh() ? n.textZh() : n.textEn()).replace("{time}", TIME.format(n.at()))
                .replace("{place}", "").replace("{site}", "").replace("{device}", "").replace("{what}", "")
                .replace("{value}", "").replace("{link}", "").replaceAll(" {2,}", " ").strip();
        String link = " " + n.link();
        int room = max - link.codePointCount(0, link.length());
        if (line.codePointCount(0, line.length()) > room) {
            line = line.substring(0, line.offsetByCodePoints(0, Math.max(0, room - 1))) + "…";
        }
        return line + link;
    }

    @Override
    public void fields(ObjectNode body) {
        body.put("event", "NOTICE");
        body.put("noticeId", n.key());
        body.put("site", n.node() == null ? null : n.node().toString());
        body.put("subject", n.subjectZh());
        body.put("subjectEn", n.subjectEn());
        body.put("message", n.textZh());
        body.put("messageEn", n.textEn());
        body.put("time", n.at().toString());
        body.put("link", n.link());
        body.put("summary", text());
    }

    @Override
    public java.util.List<io.safegrid.model.notice.NoticeAttachment> attachments() { return n.attachments(); }

    @Override
    public String logLine() { return "[notice] " + n.key() + ": " + subject() + " " + (zh() ? n.textZh() : n.textEn()); }
}
