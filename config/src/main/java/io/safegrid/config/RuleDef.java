package io.safegrid.config;

import io.safegrid.model.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One sensor rule from config. Which fields matter depends on {@link #type}:
 * <ul>
 *   <li>THRESHOLD: {@code above} and/or {@code below} per level, {@code clear} (hysteresis), {@code minDuration}</li>
 *   <li>RATE_OF_CHANGE: {@code ratePerMinute} (absolute change per minute) at {@code level}</li>
 *   <li>SENSOR_FAULT: out of the sensor's valid range, or {@code stuckFor} the same value</li>
 *   <li>TREND: project the series {@code horizon} ahead against the {@code above} limit of {@code level}</li>
 *   <li>COMPOSITE: {@code metric} rising while {@code otherMetric} at the same site equals {@code otherValue}</li>
 *   <li>OFFLINE: device offline findings from ingest, raised at {@code level}</li>
 * </ul>
 *
 * @param deviceClasses the classes it applies to; empty means every sensor of the metric
 */
public record RuleDef(String id, Type type, String metric, List<String> deviceClasses, Map<Level, Double> above,
                      Map<Level, Double> below, Double clear, Duration minDuration, Double ratePerMinute,
                      Duration stuckFor, Duration horizon, String otherMetric, Double otherValue, Level level,
                      String description) {

    public enum Type { THRESHOLD, RATE_OF_CHANGE, SENSOR_FAULT, TREND, COMPOSITE, OFFLINE }

    public RuleDef {
        deviceClasses = deviceClasses == null ? List.of() : List.copyOf(deviceClasses);
        above = above == null ? Map.of() : Map.copyOf(above);
        below = below == null ? Map.of() : Map.copyOf(below);
        minDuration = minDuration == null ? Duration.ZERO : minDuration;
    }

    public boolean appliesTo(String sensorMetric, String deviceClass) {
        return (metric == null || metric.equals(sensorMetric))
                && (deviceClasses.isEmpty() || deviceClasses.contains(deviceClass));
    }
}
