package io.safegrid.alerting.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safegrid.config.ChannelDef;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A WeCom group robot (企业微信群机器人). Settings: {@code url} (…/cgi-bin/webhook/send, with
 * {@code ?key=…} or a separate {@code key} setting), {@code msgtype} ({@code markdown} or {@code text}),
 * {@code timeout}. With text, a phone-number address is mentioned. Only {@code errcode} 0 is delivered.
 */
public final class WeComNotifier implements Channel {
    /** errcode 93000: the webhook key is not valid. */
    static final int INVALID_KEY = 93000;
    private static final int MARKDOWN_MAX_BYTES = 4096;
    private final Http http;
    private final Duration timeout;

    public WeComNotifier(Duration timeout) {
        this.http = new Http(timeout);
        this.timeout = timeout;
    }

    @Override
    public void check(ChannelDef channel, List<String> problems) {
        Settings s = new Settings(channel, problems);
        String url = s.url("url");
        if (url != null && !url.contains("key=") && s.get("key") == null) {
            s.problem("the robot's key is needed: in the url (…/webhook/send?key=…) or as the key setting");
        }
        s.oneOf("msgtype", "markdown", "markdown", "text");
        s.duration("timeout", timeout);
    }

    /** The URL with the key, as WeCom expects it. */
    static String url(Settings s) {
        String url = s.get("url");
        String key = s.get("key");
        return key == null ? url : url + (url.contains("?") ? "&" : "?") + "key=" + URLEncoder.encode(key, StandardCharsets.UTF_8);
    }

    @Override
    public void send(Notification n, Wording w) throws Exception {
        Settings s = checkedSettings(n.channel());
        ObjectNode body = WebhookNotifier.JSON.createObjectNode();
        if ("text".equals(s.oneOf("msgtype", "markdown", "markdown", "text"))) {
            body.put("msgtype", "text");
            ObjectNode text = body.putObject("text").put("content", w.text());
            if (n.address() != null && n.address().matches("\\+?[0-9]{5,20}")) {
                text.putArray("mentioned_mobile_list").add(n.address());
            }
        } else {
            String md = w.markdown();
            byte[] bytes = md.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > MARKDOWN_MAX_BYTES) {
                md = w.sms(null, 1000);
            }
            body.put("msgtype", "markdown");
            body.putObject("markdown").put("content", md);
        }
        Http.Reply r = http.send("POST", url(s), "application/json; charset=utf-8", WebhookNotifier.JSON.writeValueAsString(body),
                Map.of(), s.duration("timeout", timeout), "wecom " + n.channel().id());
        DingTalkNotifier.errcode(r, "wecom " + n.channel().id(), INVALID_KEY);
    }
}
