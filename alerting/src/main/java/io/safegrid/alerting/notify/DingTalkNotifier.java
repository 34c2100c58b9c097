package io.safegrid.alerting.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safegrid.config.ChannelDef;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A DingTalk custom robot (钉钉自定义机器人). Settings: {@code url} (the robot's
 * {@code …/robot/send?access_token=…}), {@code secret} (加签, {@code SEC…}; optional),
 * {@code msgtype} ({@code markdown} or {@code text}), {@code timeout}. A phone-number address is
 * @-mentioned. DingTalk answers HTTP 200 with {@code errcode}; only 0 is delivered.
 */
public final class DingTalkNotifier implements Channel {
    /** errcode 310000: signature, keyword or IP allow-list mismatch; retrying cannot fix it. */
    static final int SECURITY_MISMATCH = 310000;
    private final Http http;
    private final Duration timeout;
    private final Clock clock;

    public DingTalkNotifier(Duration timeout, Clock clock) {
        this.http = new Http(timeout);
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public void check(ChannelDef channel, List<String> problems) {
        Settings s = new Settings(channel, problems);
        String url = s.url("url");
        if (url != null && !url.contains("access_token=")) {
            s.problem("url must carry the robot's access_token (…/robot/send?access_token=…)");
        }
        s.oneOf("msgtype", "markdown", "markdown", "text");
        s.duration("timeout", timeout);
    }

    /** {@code sign} as DingTalk defines it: Base64(HmacSHA256(secret, timestamp + "\n" + secret)), URL-encoded. */
    public static String sign(long timestamp, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] raw = mac.doFinal((timestamp + "\n" + secret).getBytes(StandardCharsets.UTF_8));
        return URLEncoder.encode(Base64.getEncoder().encodeToString(raw), StandardCharsets.UTF_8);
    }

    @Override
    public void send(Notification n, Wording w) throws Exception {
        Settings s = checkedSettings(n.channel());
        String url = s.get("url");
        String secret = s.get("secret");
        if (secret != null) {
            long ts = clock.millis();
            url += (url.contains("?") ? "&" : "?") + "timestamp=" + ts + "&sign=" + sign(ts, secret);
        }
        boolean phone = n.address() != null && n.address().matches("\\+?[0-9]{5,20}");
        ObjectNode body = WebhookNotifier.JSON.createObjectNode();
        if ("text".equals(s.oneOf("msgtype", "markdown", "markdown", "text"))) {
            body.put("msgtype", "text");
            body.putObject("text").put("content", w.text());
        } else {
            body.put("msgtype", "markdown");
            body.putObject("markdown").put("title", w.title())
                    .put("text", w.markdown() + (phone ? "\n@" + n.address() : ""));
        }
        ObjectNode at = body.putObject("at");
        if (phone) {
            at.putArray("atMobiles").add(n.address());
        }
        at.put("isAtAll", false);
        Http.Reply r = http.send("POST", url, "application/json; charset=utf-8", WebhookNotifier.JSON.writeValueAsString(body),
                Map.of(), s.duration("timeout", timeout), "dingtalk " + n.channel().id());
        errcode(r, "dingtalk " + n.channel().id(), SECURITY_MISMATCH);
    }

    /** Robot webhooks answer 200 with {@code {"errcode":0,…}}; anything else is not delivered. */
    static void errcode(Http.Reply r, String what, int permanentCode) throws IOException, PermanentFailure {
        JsonNode reply;
        try {
            reply = WebhookNotifier.JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IOException(what + " answered something that is not JSON: " + abbreviate(r.body()));
        }
        JsonNode code = reply == null ? null : reply.get("errcode");
        if (code == null || !code.canConvertToInt()) {
            throw new IOException(what + " answered without errcode: " + abbreviate(r.body()));
        }
        if (code.asInt() != 0) {
            String msg = what + " errcode " + code.asInt() + ": " + reply.path("errmsg").asText("");
            if (code.asInt() == permanentCode) {
                throw new PermanentFailure(msg);
            }
            throw new IOException(msg);
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.substring(0, Math.min(200, s.length()));
    }
}
