package io.safegrid.console.text;

import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.MetricDef;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.device.Camera;
import io.safegrid.model.device.Sensor;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What an alarm is about, as a message key and parameters the browser renders in the reader's
 * language: the device's name, the metric's name in both languages, the kind and the zone. The
 * alarm's stored {@code message} is the first finding's text in both languages together; the
 * screen shows this instead so a Chinese page reads Chinese only.
 */
public final class AlarmText {
    private final ConfigSource config;

    public AlarmText(ConfigSource config) {
        this.config = config;
    }

    /** The key under {@code messageKey}, the parameters under {@code messageArgs}. */
    public Map<String, Object> describe(Alarm a) {
        Deployment d = config.current();
        Map<String, String> args = new HashMap<>();
        args.put("kind", "@kind." + a.kind().name());
        Optional<Sensor> sensor = d.sensor(a.sourceId());
        String device = sensor.map(Sensor::name)
                .or(() -> d.camera(a.sourceId()).map(Camera::name))
                .filter(n -> n != null && !n.isBlank()).orElse(a.sourceId());
        args.put("device", device);
        String key;
        if (sensor.isPresent()) {
            MetricDef m = d.metrics().get(sensor.get().metric());
            args.put("metric_zh", m == null ? sensor.get().metric() : m.nameZh());
            args.put("metric_en", m == null ? sensor.get().metric() : m.nameEn());
            key = "alarm.sensor";
        } else {
            String zone = zoneOf(a.key());
            if (zone != null) {
                args.put("zone", zone);
            }
            key = zone == null ? "alarm.default" : "alarm.default.zone";
        }
        return Map.of("messageKey", key, "messageArgs", args);
    }

    /** Alarm keys are {@code source|rule} or {@code source|rule|zone}. */
    static String zoneOf(String alarmKey) {
        if (alarmKey == null) {
            return null;
        }
        String[] parts = alarmKey.split("\\|", 3);
        return parts.length == 3 && !parts[2].isBlank() ? parts[2] : null;
    }
}
