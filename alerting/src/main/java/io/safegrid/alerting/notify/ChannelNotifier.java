package io.safegrid.alerting.notify;

import io.safegrid.config.ChannelDef;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks the notifier by channel type: {@code console} (the in-app list; logs), {@code webhook},
 * {@code dingtalk}, {@code wecom}, {@code smtp}, {@code sms}. An unknown type fails for good.
 * {@link #validate} checks every channel's settings at startup.
 */
public final class ChannelNotifier implements Worded {
    public static final String CONSOLE = "console";
    /** The in-app channel every person without a configured contact gets. */
    public static final ChannelDef CONSOLE_CHANNEL = new ChannelDef(CONSOLE, CONSOLE, Map.of());
    private final Map<String, Notifier> byType;

    public ChannelNotifier(Map<String, Notifier> byType) {
        this.byType = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byType));
    }

    /** Every built-in channel type, each call bounded by {@code timeout} (a channel's {@code timeout} setting overrides). */
    public static ChannelNotifier defaults(Duration timeout, Clock clock) {
        Map<String, Notifier> m = new LinkedHashMap<>();
        m.put(CONSOLE, new LogNotifier());
        m.put("webhook", new WebhookNotifier(timeout));
        m.put("dingtalk", new DingTalkNotifier(timeout, clock));
        m.put("wecom", new WeComNotifier(timeout));
        m.put("smtp", new SmtpNotifier(timeout));
        m.put("sms", new SmsNotifier(timeout));
        return new ChannelNotifier(m);
    }

    /** One line per problem, e.g. {@code channel duty-robot (dingtalk): url is required}; empty when all is well. */
    public List<String> validate(List<ChannelDef> channels) {
        List<String> problems = new ArrayList<>();
        for (ChannelDef ch : channels) {
            Notifier n = byType.get(ch.type());
            if (n == null) {
                problems.add("channel " + ch.id() + ": type '" + ch.type() + "' is not supported (known: "
                        + String.join(", ", byType.keySet()) + ")");
            } else if (n instanceof Channel c) {
                c.check(ch, problems);
            }
        }
        return problems;
    }

    @Override
    public void send(Notification n) throws Exception {
        Notifier x = byType.get(n.channel().type());
        if (x == null) {
            throw new PermanentFailure("channel type '" + n.channel().type() + "' is not implemented");
        }
        x.send(n);
    }

    /** Sends any wording (a grid notice's) over the channel type's notifier. */
    @Override
    public void send(Notification n, Wording w) throws Exception {
        if (!(byType.get(n.channel().type()) instanceof Worded x)) {
            throw new PermanentFailure("channel type '" + n.channel().type() + "' cannot carry notices");
        }
        x.send(n, w);
    }
}
