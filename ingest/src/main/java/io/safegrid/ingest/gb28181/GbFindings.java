package io.safegrid.ingest.gb28181;

import io.safegrid.ingest.gb28181.device.DeviceRegistry;
import io.safegrid.model.Level;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Findings from GB/T 28181 devices: offline and back online (the same DEVICE_OFFLINE findings
 * sensors raise, rule {@code device-offline}), and device alarms (DEVICE_ALARM, rule
 * {@code gb28181-alarm}), whose AlarmPriority 1–4 maps to red, orange, yellow, blue.
 */
final class GbFindings {
    static final String OFFLINE_RULE = "device-offline";
    static final String ALARM_RULE = "gb28181-alarm";

    private final Bus bus;

    GbFindings(Bus bus) {
        this.bus = bus;
    }

    /** @return false when the bus refused it (the caller retries on its next check) */
    boolean offline(DeviceRegistry.Change c, Instant now) {
        var d = c.device();
        String message = c.online()
                ? "设备恢复 device back online: " + d.config().name()
                : FindingKind.DEVICE_OFFLINE.labelZh() + " " + FindingKind.DEVICE_OFFLINE.labelEn() + ": "
                        + d.config().name() + " (" + c.why() + ")";
        Finding f = new Finding(UUID.randomUUID().toString(), FindingKind.DEVICE_OFFLINE, Level.BLUE,
                c.online() ? Condition.CLEARED : Condition.ACTIVE, d.id(), d.config().grid(), OFFLINE_RULE, null,
                c.silent().toSeconds(), c.limit().toSeconds(), now, message, null,
                Map.of("protocol", "gb28181", "reason", c.online() ? "keepalive" : c.why(),
                        "offlineAfter", c.limit().toString()));
        return offer(d.id(), f);
    }

    /** A device's {@code <Notify><CmdType>Alarm}; priority outside 1–4 is taken as 4 (blue). */
    boolean alarm(String sourceId, GridPath site, int priority, String method, String type, String description,
                  String alarmTime, Instant now) {
        Level level = levelOf(priority);
        String text = FindingKind.DEVICE_ALARM.labelZh() + " " + FindingKind.DEVICE_ALARM.labelEn() + ": "
                + (description == null || description.isBlank() ? "priority " + priority : description);
        Map<String, String> details = new java.util.LinkedHashMap<>();
        details.put("protocol", "gb28181");
        details.put("alarmPriority", String.valueOf(priority));
        put(details, "alarmMethod", method);
        put(details, "alarmType", type);
        put(details, "alarmTime", alarmTime);
        Finding f = new Finding(UUID.randomUUID().toString(), FindingKind.DEVICE_ALARM, level, Condition.ACTIVE,
                sourceId, site, ALARM_RULE, method == null ? null : "method-" + method, priority, Double.NaN, now,
                text, null, details);
        return offer(sourceId, f);
    }

    static Level levelOf(int priority) {
        return switch (priority) {
            case 1 -> Level.RED;
            case 2 -> Level.ORANGE;
            case 3 -> Level.YELLOW;
            default -> Level.BLUE;
        };
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null && !v.isBlank()) {
            m.put(k, v);
        }
    }

    private boolean offer(String key, Finding f) {
        try {
            return bus.offer(Topic.FINDINGS, key, f);
        } catch (IllegalStateException closed) {
            return false;
        }
    }
}
