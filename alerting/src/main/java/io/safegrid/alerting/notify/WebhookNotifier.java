package io.safegrid.alerting.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.safegrid.config.ChannelDef;
import io.safegrid.config.UserDef;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A generic webhook: POSTs the alarm event as JSON to the channel's {@code url} setting. Any 2xx is
 * delivered; anything else, or no answer within the timeout, is a failure.
 */
public final class WebhookNotifier implements Notifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final Duration timeout;
    private final String consoleUrl;

    public WebhookNotifier(Duration timeout, String consoleUrl) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.timeout = timeout;
        this.consoleUrl = consoleUrl;
    }

    @Override
    public void send(UserDef recipient, ChannelDef channel, String address, Alarm alarm, AlarmEvent event)
            throws IOException, InterruptedException {
        String url = channel.settings().get("url");
        if (url == null) {
            throw new IllegalArgumentException("webhook channel " + channel.id() + " has no url");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("recipient", recipient.name());
        body.put("address", address);
        body.put("event", event.type().name());
        body.put("alarmId", alarm.id());
        body.put("level", alarm.level().colour());
        body.put("levelLabel", alarm.level().labelZh());
        body.put("state", alarm.state().name());
        body.put("kind", alarm.kind().name());
        body.put("site", alarm.site() == null ? null : alarm.site().toString());
        body.put("source", alarm.sourceId());
        body.put("message", alarm.message());
        body.put("value", Double.isNaN(alarm.value()) ? null : alarm.value());
        body.put("time", event.time().toString());
        if (consoleUrl != null) {
            body.put("link", consoleUrl + "/alarms/" + alarm.id());
        }
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
        HttpResponse<Void> res = http.send(req, HttpResponse.BodyHandlers.discarding());
        if (res.statusCode() / 100 != 2) {
            throw new IOException("webhook " + channel.id() + " answered HTTP " + res.statusCode());
        }
    }
}
