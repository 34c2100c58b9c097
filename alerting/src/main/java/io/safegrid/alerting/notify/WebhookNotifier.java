package io.safegrid.alerting.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safegrid.config.ChannelDef;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A generic webhook: POSTs the notification as JSON to the channel's {@code url}. Any 2xx is
 * delivered. Every attempt of one delivery carries the same {@code Idempotency-Key} header (and
 * {@code deliveryId} field) so a receiver can drop the duplicate a crash mid-send may cause; with a
 * {@code secret}, {@code X-SafeGrid-Signature: sha256=<hex HMAC-SHA256 of the body>}.
 */
public final class WebhookNotifier implements Channel {
    static final ObjectMapper JSON = new ObjectMapper();
    private final Http http;
    private final Duration timeout;

    public WebhookNotifier(Duration timeout) {
        this.http = new Http(timeout);
        this.timeout = timeout;
    }

    /** Kept for callers of the first version; links now come from the deployment's console URL. */
    public WebhookNotifier(Duration timeout, String consoleUrl) {
        this(timeout);
    }

    @Override
    public void check(ChannelDef channel, List<String> problems) {
        Settings s = new Settings(channel, problems);
        s.url("url");
        s.duration("timeout", timeout);
    }

    @Override
    public void send(Notification n, Wording w) throws Exception {
        List<String> problems = new ArrayList<>();
        Settings s = new Settings(n.channel(), problems);
        String url = s.url("url");
        Duration t = s.duration("timeout", timeout);
        s.throwIfAny();
        ObjectNode body = JSON.createObjectNode();
        body.put("deliveryId", n.key());
        body.put("attempt", n.attempt());
        body.put("recipient", n.recipient().name());
        body.put("address", n.address());
        w.fields(body);
        String json = JSON.writeValueAsString(body);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Idempotency-Key", n.key());
        String secret = s.get("secret");
        if (secret != null) {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            headers.put("X-SafeGrid-Signature", "sha256=" + HexFormat.of().formatHex(mac.doFinal(json.getBytes(StandardCharsets.UTF_8))));
        }
        http.send("POST", url, "application/json; charset=utf-8", json, headers, t, "webhook " + n.channel().id());
    }
}
