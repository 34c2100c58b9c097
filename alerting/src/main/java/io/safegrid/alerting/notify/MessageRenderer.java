package io.safegrid.alerting.notify;

import io.safegrid.config.Deployment;
import io.safegrid.config.MetricDef;
import io.safegrid.config.NodeSettings;
import io.safegrid.config.link.AlarmLinks;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.grid.GridNode;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place notification wording lives: {@link #message} fixes the facts when a notification is
 * queued; {@link #markdown} (DingTalk, WeCom), {@link #plain} (SMS, capped), {@link #html} and
 * {@link #subject} (mail) lay them out, in the recipient's language ({@code UserDef.language}); a
 * person without one reads Chinese, the default; only a message with no person behind it (lang null)
 * carries both, Chinese first. Times in Beijing time.
 */
public final class MessageRenderer {
    private static final Logger LOG = LoggerFactory.getLogger(MessageRenderer.class);
    public static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(CHINA);
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(CHINA);

    private MessageRenderer() {
    }

    /** The console's address for links: {@code node.console-url}, else derived from the HTTP port. */
    public static String consoleUrl(NodeSettings node) {
        return io.safegrid.config.link.ConsoleAddress.of(node);
    }

    /**
     * The facts of one notification to {@code recipient}: its link opens the duty officer's phone page
     * for this alarm, signed for that person ({@link AlarmLinks}) and valid {@link AlarmLinks#VALID_FOR}.
     */
    public static Message message(Deployment d, Alarm a, AlarmEvent cause, String reason, String recipient) {
        Message m = message(d, a, cause, reason);
        if (recipient == null) {
            return m;
        }
        String link = d.node().dataDir() == null ? m.link() : signedLink(d, a, cause, recipient).orElse(m.link());
        String lang = language(d, recipient);
        return new Message(m.alarmId(), m.eventSeq(), m.event(), m.level(), m.kind(), m.state(), m.sourceId(), m.device(),
                m.place(), m.metricZh(), m.metricEn(), m.value(), m.threshold(), m.unit(), m.time(), m.text(), link, m.reason(),
                lang);
    }

    /**
     * The phone page's link signed for {@code recipient}; empty when the node's link key cannot be read or
     * made (a full or broken data disk), so the notification still goes out with the console's link.
     */
    private static Optional<String> signedLink(Deployment d, Alarm a, AlarmEvent cause, String recipient) {
        try {
            return Optional.of(consoleUrl(d.node()) + AlarmLinks.forDataDir(d.node().dataDir())
                    .path(a.id(), recipient, cause.time().plus(AlarmLinks.VALID_FOR)));
        } catch (UncheckedIOException e) {
            LOG.warn("NOTIFICATION WITHOUT SIGNED LINK alarm={}: {}", a.id(), e.getMessage());
            return Optional.empty();
        }
    }

    /** A person's language for notifications: their {@code users[].language}, else Chinese, the console's default. */
    static String language(Deployment d, String recipient) {
        return d.users().stream().filter(u -> u.name().equals(recipient)).findFirst().map(u -> u.language())
                .filter(l -> l != null).orElse("zh");
    }

    /** The facts of one notification about {@code cause}, as the alarm stood then. */
    public static Message message(Deployment d, Alarm a, AlarmEvent cause, String reason) {
        List<String> place = new ArrayList<>();
        if (a.site() != null) {
            for (GridNode n : d.grid().chain(a.site())) {
                place.add(0, n.name() == null || n.name().isBlank() ? n.id() : n.name());
            }
        }
        Optional<Sensor> sensor = d.sensor(a.sourceId());
        String device = sensor.map(s -> (s.name() == null ? s.id() : s.name() + " (" + s.id() + ")"))
                .or(() -> d.camera(a.sourceId()).map(c -> (c.name() == null ? c.id() : c.name() + " (" + c.id() + ")")))
                .orElse(a.sourceId());
        MetricDef metric = sensor.map(s -> d.metrics().get(s.metric())).orElse(null);
        String unit = sensor.map(Sensor::unit).filter(u -> u != null && !u.isBlank())
                .orElse(metric == null ? "" : metric.unit());
        String metricZh = metric != null ? metric.nameZh() : sensor.map(Sensor::metric).orElse(null);
        String metricEn = metric != null ? metric.nameEn() : sensor.map(Sensor::metric).orElse(null);
        return new Message(a.id(), cause.sequence(), cause.type(), a.level(), a.kind(), a.state(), a.sourceId(), device,
                place, metricZh, metricEn, number(a.value()), number(a.threshold()), unit, cause.time(), a.message(),
                consoleUrl(d.node()) + "/#/alarms/" + a.id(), reason);
    }

    private static Double number(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }

    static String format(double v) {
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    static String eventZh(AlarmEvent.Type t) {
        return switch (t) {
            case RAISED -> "新告警";
            case LEVEL_CHANGED -> "级别升高";
            case ESCALATED -> "超时未确认，已升级";
            default -> "告警仍未确认";
        };
    }

    static String eventEn(AlarmEvent.Type t) {
        return switch (t) {
            case RAISED -> "new alarm";
            case LEVEL_CHANGED -> "level raised";
            case ESCALATED -> "unacknowledged, escalated";
            default -> "still unacknowledged";
        };
    }

    /** e.g. 甲烷超限 */
    static String whatZh(Message m) {
        return (m.metricZh() == null ? "" : m.metricZh()) + m.kind().labelZh();
    }

    /** e.g. Methane over limit */
    static String whatEn(Message m) {
        String s = (m.metricEn() == null ? "" : m.metricEn() + " ") + m.kind().labelEn();
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String where(Message m) {
        return m.place().isEmpty() ? "" : m.place().get(m.place().size() - 1);
    }

    static String valueZh(Message m) {
        if (m.value() == null) {
            return null;
        }
        return format(m.value()) + m.unit() + (m.threshold() == null ? "" : "（阈值 " + format(m.threshold()) + m.unit() + "）");
    }

    static String valueEn(Message m) {
        if (m.value() == null) {
            return null;
        }
        return format(m.value()) + " " + m.unit() + (m.threshold() == null ? "" : " (threshold " + format(m.threshold()) + " " + m.unit() + ")");
    }

    // ---- one language or both: a recipient's language (UserDef.language, Chinese when unset); both only without a recipient

    private static boolean zhOnly(Message m) { return "zh".equals(m.lang()); }

    private static boolean enOnly(Message m) { return "en".equals(m.lang()); }

    /** A label, e.g. 地点 Place, 地点 or Place. */
    private static String label(Message m, String zh, String en) {
        return zhOnly(m) ? zh : enOnly(m) ? en : zh + " " + en;
    }

    /** Two phrasings of one fact joined as the recipient reads them. */
    private static String say(Message m, String zh, String en) {
        return zhOnly(m) ? zh : enOnly(m) ? en : zh + " / " + en;
    }

    private static String value(Message m) {
        return say(m, valueZh(m), valueEn(m));
    }

    private static String time(Message m) {
        return TIME.format(m.time()) + (zhOnly(m) ? "（北京时间）" : enOnly(m) ? " (Beijing time, UTC+8)" : " (北京时间 UTC+8)");
    }

    private static String event(Message m) {
        return say(m, eventZh(m.event()), eventEn(m.event()));
    }

    /** The detail in the recipient's language: stored texts are "中文 / English" (both kept when unset). */
    static String detail(Message m) {
        String t = m.text();
        if (t == null || m.lang() == null) {
            return t;
        }
        int i = t.indexOf(" / ");
        while (i >= 0) {
            String left = t.substring(0, i);
            String right = t.substring(i + 3);
            if (left.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN)
                    && right.codePoints().noneMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN)) {
                return zhOnly(m) ? left.strip() : right.strip();
            }
            i = t.indexOf(" / ", i + 3);
        }
        return t;
    }

    private static String open(Message m) {
        return label(m, "查看并确认", "Open and acknowledge");
    }

    /** Mail subject: 【二级(橙色)预警】七号煤矿 甲烷超限 / Level 2 (orange): Methane over limit (or one of the two). */
    public static String subject(Message m) {
        String zh = "【" + m.level().labelZh() + "】" + where(m) + " " + whatZh(m);
        String en = m.level().labelEn() + ": " + whatEn(m);
        return zhOnly(m) ? zh : enOnly(m) ? en + " at " + where(m) : zh + " / " + en;
    }

    /** Markdown for the robot webhooks (headings, bold, lists and links only: what both render). */
    public static String markdown(Message m) {
        StringBuilder b = new StringBuilder();
        if (enOnly(m)) {
            b.append("### [").append(m.level().labelEn()).append("] ").append(whatEn(m)).append("\n\n");
        } else {
            b.append("### 【").append(m.level().labelZh()).append("】").append(whatZh(m)).append("\n\n");
        }
        if (m.lang() == null) {
            b.append("**").append(m.level().labelEn()).append(" warning: ").append(whatEn(m)).append("**\n\n");
        }
        b.append("- ").append(label(m, "地点", "Place")).append(": ").append(String.join(" / ", m.place())).append("\n");
        b.append("- ").append(label(m, "设备", "Device")).append(": ").append(m.device()).append("\n");
        if (m.value() != null) {
            b.append("- ").append(label(m, "数值", "Value")).append(": **").append(zhOnly(m) || m.lang() == null ? valueZh(m) : valueEn(m))
                    .append("**").append(m.lang() == null ? " / " + valueEn(m) : "").append("\n");
        }
        b.append("- ").append(label(m, "时间", "Time")).append(": ").append(time(m)).append("\n");
        b.append("- ").append(label(m, "事件", "Event")).append(": ").append(event(m)).append("\n");
        if (m.text() != null && !m.text().isBlank()) {
            b.append("- ").append(label(m, "说明", "Detail")).append(": ").append(detail(m)).append("\n");
        }
        b.append("\n[").append(open(m)).append("](").append(m.link()).append(")\n");
        return b.toString();
    }

    /**
     * One line for SMS, at most {@code maxChars} characters, in Chinese (or English for a recipient who
     * reads English); the link is never cut (the detail is shortened first).
     */
    public static String plain(Message m, int maxChars) {
        StringBuilder b = new StringBuilder();
        if (enOnly(m)) {
            b.append("[").append(m.level().labelEn()).append("] ").append(String.join(", ", m.place())).append(" ")
                    .append(m.device()).append(" ").append(whatEn(m));
            if (m.value() != null) {
                b.append(" ").append(valueEn(m));
            }
            b.append(", ").append(SHORT.format(m.time())).append(" ").append(eventEn(m.event())).append(", please acknowledge.");
        } else {
            b.append("【").append(m.level().labelZh()).append("】").append(String.join("", m.place())).append(" ")
                    .append(m.device()).append(" ").append(whatZh(m));
            if (m.value() != null) {
                b.append(" ").append(valueZh(m));
            }
            b.append("，").append(SHORT.format(m.time())).append(" ").append(eventZh(m.event())).append("，请尽快确认。");
        }
        String link = " " + m.link();
        int room = maxChars - link.length();
        String head = b.toString();
        if (head.codePointCount(0, head.length()) > room) {
            int keep = Math.max(0, room - 1);
            head = head.substring(0, head.offsetByCodePoints(0, Math.min(keep, head.codePointCount(0, head.length())))) + "…";
        }
        String out = head + link;
        return out.codePointCount(0, out.length()) <= maxChars ? out
                : out.substring(0, out.offsetByCodePoints(0, Math.max(0, maxChars)));
    }

    /** The plain text of a mail: one fact a line, in the recipient's language (both when unset). */
    public static String text(Message m) {
        StringBuilder b = new StringBuilder();
        if (!enOnly(m)) {
            b.append("【").append(m.level().labelZh()).append("】").append(whatZh(m)).append("\n");
        }
        if (!zhOnly(m)) {
            b.append(m.level().labelEn()).append(" warning: ").append(whatEn(m)).append("\n");
        }
        b.append("\n");
        b.append(label(m, "地点", "Place")).append(": ").append(String.join(" / ", m.place())).append("\n");
        b.append(label(m, "设备", "Device")).append(": ").append(m.device()).append("\n");
        if (m.value() != null) {
            b.append(label(m, "数值", "Value")).append(": ").append(value(m)).append("\n");
        }
        b.append(label(m, "时间", "Time")).append(": ").append(time(m)).append("\n");
        b.append(label(m, "事件", "Event")).append(": ").append(event(m)).append("\n");
        if (m.text() != null && !m.text().isBlank()) {
            b.append(label(m, "说明", "Detail")).append(": ").append(detail(m)).append("\n");
        }
        b.append("\n").append(open(m)).append(": ").append(m.link()).append("\n");
        return b.toString();
    }

    /** The HTML part of a mail; every value is escaped. */
    public static String html(Message m) {
        StringBuilder b = new StringBuilder("<html><body>");
        if (!enOnly(m)) {
            b.append("<h3 style=\"color:").append(m.level().colour()).append("\">【").append(esc(m.level().labelZh())).append("】")
                    .append(esc(whatZh(m))).append("</h3>");
        }
        if (!zhOnly(m)) {
            b.append("<p><b>").append(esc(m.level().labelEn())).append(" warning: ").append(esc(whatEn(m))).append("</b></p>");
        }
        b.append("<table>");
        row(b, label(m, "地点", "Place"), String.join(" / ", m.place()));
        row(b, label(m, "设备", "Device"), m.device());
        if (m.value() != null) {
            row(b, label(m, "数值", "Value"), value(m));
        }
        row(b, label(m, "时间", "Time"), time(m));
        row(b, label(m, "事件", "Event"), event(m));
        if (m.text() != null && !m.text().isBlank()) {
            row(b, label(m, "说明", "Detail"), detail(m));
        }
        b.append("</table><p><a href=\"").append(esc(m.link())).append("\">").append(esc(open(m))).append("</a></p></body></html>");
        return b.toString();
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("<tr><th align=\"left\">").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>");
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
