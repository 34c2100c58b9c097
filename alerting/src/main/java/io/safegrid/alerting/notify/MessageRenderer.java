package io.safegrid.alerting.notify;

import io.safegrid.config.Deployment;
import io.safegrid.config.MetricDef;
import io.safegrid.config.NodeSettings;
import io.safegrid.config.link.AlarmLinks;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.grid.GridNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one place notification wording lives: {@link #message} fixes the facts when a notification is
 * queued; {@link #markdown} (DingTalk, WeCom), {@link #plain} (SMS, capped), {@link #html} and
 * {@link #subject} (mail) lay them out. Chinese first, English after; times in Beijing time.
 */
public final class MessageRenderer {
    public static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(CHINA);
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(CHINA);

    private MessageRenderer() {
    }

    /** The console's address for links: {@code node.console-url}, else derived from the HTTP port. */
    public static String consoleUrl(NodeSettings node) {
        if (node.consoleUrl() != null && !node.consoleUrl().isBlank()) {
            String u = node.consoleUrl().strip();
            return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
        }
        String host = node.bindAddress() == null || node.bindAddress().equals("0.0.0.0") || node.bindAddress().equals("::")
                ? "localhost" : node.bindAddress();
        return "http://" + host + ":" + node.httpPort();
    }

    /**
     * The facts of one notification to {@code recipient}: its link opens the duty officer's phone page
     * for this alarm, signed for that person ({@link AlarmLinks}) and valid {@link AlarmLinks#VALID_FOR}.
     */
    public static Message message(Deployment d, Alarm a, AlarmEvent cause, String reason, String recipient) {
        Message m = message(d, a, cause, reason);
        if (recipient == null || d.node().dataDir() == null) {
            return m;
        }
        String link = consoleUrl(d.node()) + AlarmLinks.forDataDir(d.node().dataDir())
                .path(a.id(), recipient, cause.time().plus(AlarmLinks.VALID_FOR));
        return new Message(m.alarmId(), m.eventSeq(), m.event(), m.level(), m.kind(), m.state(), m.sourceId(), m.device(),
                m.place(), m.metricZh(), m.metricEn(), m.value(), m.threshold(), m.unit(), m.time(), m.text(), link, m.reason());
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

    /** Mail subject: 【二级(橙色)预警】七号煤矿 甲烷超限 / Level 2 (orange): Methane over limit */
    public static String subject(Message m) {
        return "【" + m.level().labelZh() + "】" + where(m) + " " + whatZh(m) + " / " + m.level().labelEn() + ": " + whatEn(m);
    }

    /** Markdown for the robot webhooks (headings, bold, lists and links only: what both render). */
    public static String markdown(Message m) {
        StringBuilder b = new StringBuilder();
        b.append("### 【").append(m.level().labelZh()).append("】").append(whatZh(m)).append("\n\n");
        b.append("**").append(m.level().labelEn()).append(" warning: ").append(whatEn(m)).append("**\n\n");
        b.append("- 地点 Place: ").append(String.join(" / ", m.place())).append("\n");
        b.append("- 设备 Device: ").append(m.device()).append("\n");
        if (m.value() != null) {
            b.append("- 数值 Value: **").append(valueZh(m)).append("** / ").append(valueEn(m)).append("\n");
        }
        b.append("- 时间 Time: ").append(TIME.format(m.time())).append(" (北京时间 UTC+8)\n");
        b.append("- 事件 Event: ").append(eventZh(m.event())).append(" / ").append(eventEn(m.event())).append("\n");
        if (m.text() != null && !m.text().isBlank()) {
            b.append("- 说明 Detail: ").append(m.text()).append("\n");
        }
        b.append("\n[查看并确认 Open and acknowledge](").append(m.link()).append(")\n");
        return b.toString();
    }

    /**
     * One Chinese line for SMS, at most {@code maxChars} characters; the link is never cut (the
     * detail is shortened first).
     */
    public static String plain(Message m, int maxChars) {
        StringBuilder b = new StringBuilder();
        b.append("【").append(m.level().labelZh()).append("】").append(String.join("", m.place())).append(" ")
                .append(m.device()).append(" ").append(whatZh(m));
        if (m.value() != null) {
            b.append(" ").append(valueZh(m));
        }
        b.append("，").append(SHORT.format(m.time())).append(" ").append(eventZh(m.event())).append("，请尽快确认。");
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

    /** The plain text of a mail: both languages, one fact a line. */
    public static String text(Message m) {
        StringBuilder b = new StringBuilder();
        b.append("【").append(m.level().labelZh()).append("】").append(whatZh(m)).append("\n");
        b.append(m.level().labelEn()).append(" warning: ").append(whatEn(m)).append("\n\n");
        b.append("地点 Place: ").append(String.join(" / ", m.place())).append("\n");
        b.append("设备 Device: ").append(m.device()).append("\n");
        if (m.value() != null) {
            b.append("数值 Value: ").append(valueZh(m)).append(" / ").append(valueEn(m)).append("\n");
        }
        b.append("时间 Time: ").append(TIME.format(m.time())).append(" (北京时间 UTC+8)\n");
        b.append("事件 Event: ").append(eventZh(m.event())).append(" / ").append(eventEn(m.event())).append("\n");
        if (m.text() != null && !m.text().isBlank()) {
            b.append("说明 Detail: ").append(m.text()).append("\n");
        }
        b.append("\n查看并确认 Open and acknowledge: ").append(m.link()).append("\n");
        return b.toString();
    }

    /** The HTML part of a mail; every value is escaped. */
    public static String html(Message m) {
        StringBuilder b = new StringBuilder("<html><body>");
        b.append("<h3 style=\"color:").append(m.level().colour()).append("\">【").append(esc(m.level().labelZh())).append("】")
                .append(esc(whatZh(m))).append("</h3>");
        b.append("<p><b>").append(esc(m.level().labelEn())).append(" warning: ").append(esc(whatEn(m))).append("</b></p>");
        b.append("<table>");
        row(b, "地点 Place", String.join(" / ", m.place()));
        row(b, "设备 Device", m.device());
        if (m.value() != null) {
            row(b, "数值 Value", valueZh(m) + " / " + valueEn(m));
        }
        row(b, "时间 Time", TIME.format(m.time()) + " (北京时间 UTC+8)");
        row(b, "事件 Event", eventZh(m.event()) + " / " + eventEn(m.event()));
        if (m.text() != null && !m.text().isBlank()) {
            row(b, "说明 Detail", m.text());
        }
        b.append("</table><p><a href=\"").append(esc(m.link())).append("\">查看并确认 Open and acknowledge</a></p></body></html>");
        return b.toString();
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("<tr><th align=\"left\">").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>");
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
