package io.safegrid.alerting.notify;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import io.safegrid.config.ChannelDef;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An SMS gateway reached over HTTP, described entirely by settings so that any vendor's API fits:
 * <ul>
 *   <li>{@code url}: may contain {@code {phone}} and {@code {text}} (URL-encoded there);</li>
 *   <li>{@code method}: {@code POST} (default) or {@code GET};</li>
 *   <li>{@code body}: the request body with {@code {phone}} and {@code {text}}, escaped for the
 *       {@code content-type} (JSON string escaping for JSON, URL-encoding for forms); default
 *       {@code {"phone":"{phone}","text":"{text}"}};</li>
 *   <li>{@code template}: the SMS text with {@code {level} {place} {site} {device} {what} {value} {time}
 *       {message} {link}}; default the renderer's one-line text;</li>
 *   <li>{@code max-chars}: the cap on the text (default 200); the link is kept whole;</li>
 *   <li>{@code success-field} / {@code success-value}: besides a 2xx, the JSON reply's field (dotted
 *       path, e.g. {@code result.code}) must equal the value (default {@code 0});</li>
 *   <li>{@code header.<Name>}: extra request headers (an API key, say); {@code timeout}.</li>
 * </ul>
 */
public final class SmsNotifier implements Channel {
    static final String DEFAULT_BODY = "{\"phone\":\"{phone}\",\"text\":\"{text}\"}";
    private final Http http;
    private final Duration timeout;

    public SmsNotifier(Duration timeout) {
        this.http = new Http(timeout);
        this.timeout = timeout;
    }

    @Override
    public void check(ChannelDef channel, List<String> problems) {
        Settings s = new Settings(channel, problems);
        s.url("url");
        String method = s.oneOf("method", "POST", "POST", "GET");
        String body = s.get("body", DEFAULT_BODY);
        String url = s.get("url", "");
        if ("GET".equals(method) && !url.contains("{text}")) {
            s.problem("with method GET the url must carry {text}");
        } else if ("POST".equals(method) && !body.contains("{text}") && !url.contains("{text}")) {
            s.problem("the body (or url) must contain {text}");
        }
        if (!body.contains("{phone}") && !url.contains("{phone}")) {
            s.problem("the body or url must contain {phone}");
        }
        s.integer("max-chars", 200, 40, 1000);
        s.duration("timeout", timeout);
    }

    @Override
    public void send(Notification n, Wording w) throws Exception {
        Settings s = checkedSettings(n.channel());
        String phone = n.address() == null ? "" : n.address().replace(" ", "").replace("-", "");
        if (!phone.matches("\\+?[0-9]{5,20}")) {
            throw new PermanentFailure("sms " + n.channel().id() + ": '" + n.address() + "' of " + n.recipient().name()
                    + " is not a phone number");
        }
        String text = w.sms(s.get("template"), s.integer("max-chars", 200, 40, 1000));
        String method = s.oneOf("method", "POST", "POST", "GET");
        String contentType = s.get("content-type", "application/json; charset=utf-8");
        String url = s.get("url").replace("{phone}", enc(phone)).replace("{text}", enc(text));
        String body = null;
        if ("POST".equals(method)) {
            String template = s.get("body", DEFAULT_BODY);
            boolean json = contentType.toLowerCase().contains("json");
            boolean form = contentType.toLowerCase().contains("x-www-form-urlencoded");
            body = template.replace("{phone}", json ? jsonEsc(phone) : form ? enc(phone) : phone)
                    .replace("{text}", json ? jsonEsc(text) : form ? enc(text) : text);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        n.channel().settings().forEach((k, v) -> {
            if (k.startsWith("header.") && v != null) {
                headers.put(k.substring("header.".length()), v);
            }
        });
        String what = "sms " + n.channel().id();
        Http.Reply r = http.send(method, url, contentType, body, headers, s.duration("timeout", timeout), what);
        String field = s.get("success-field");
        if (field != null) {
            String expected = s.get("success-value", "0");
            JsonNode node;
            try {
                node = WebhookNotifier.JSON.readTree(r.body());
            } catch (IOException e) {
                throw new IOException(what + ": reply is not JSON, cannot read " + field);
            }
            for (String part : field.split("\\.")) {
                node = node == null ? null : node.get(part);
            }
            String got = node == null || node.isNull() ? null : node.asText();
            if (!expected.equals(got)) {
                throw new IOException(what + ": " + field + " = " + got + ", expected " + expected + " (" + r.body() + ")");
            }
        }
    }

    /** The SMS text: the template filled in, or the renderer's line, capped at {@code max} characters. */
    static String text(Message m, String template, int max) {
        if (template == null) {
            return MessageRenderer.plain(m, max);
        }
        boolean en = "en".equals(m.lang());   // the template's own words are the operator's; the facts follow the reader
        String t = template.replace("{level}", en ? m.level().labelEn() : m.level().labelZh())
                .replace("{place}", String.join("", m.place()))
                .replace("{site}", m.place().isEmpty() ? "" : m.place().get(m.place().size() - 1))
                .replace("{device}", m.device())
                .replace("{what}", en ? MessageRenderer.whatEn(m) : MessageRenderer.whatZh(m))
                .replace("{value}", m.value() == null ? "" : en ? MessageRenderer.valueEn(m) : MessageRenderer.valueZh(m))
                .replace("{time}", java.time.format.DateTimeFormatter.ofPattern("MM-dd HH:mm")
                        .withZone(MessageRenderer.CHINA).format(m.time()))
                .replace("{message}", m.text() == null ? "" : MessageRenderer.detail(m))
                .replace("{link}", m.link());
        if (t.codePointCount(0, t.length()) > max) {
            t = t.substring(0, t.offsetByCodePoints(0, max - 1)) + "…";
        }
        return t;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String jsonEsc(String s) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(s));
    }
}
