package io.safegrid.config;

import java.util.Map;

/**
 * A way to reach people: {@code webhook}, {@code dingtalk}, {@code wecom}, {@code smtp} or {@code sms},
 * with its settings (url, secret, host, template …) as strings.
 */
public record ChannelDef(String id, String type, Map<String, String> settings) {

    public ChannelDef {
        settings = Map.copyOf(settings);
    }

    @Override
    public String toString() { return "ChannelDef[" + id + ", " + type + "]"; }
}
