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
 *   <li>POWER_OFF_OVERRIDE: a power-off controller's feed state ({@code metric}, 1 power on, 0 cut)
 *       still on while its bound methane sensor is at or above that place's power-off limit
 *       ({@code feeds}), for {@code minDuration}; raised at {@code level} (default red)</li>
 * </ul>
 *
 * @param deviceClasses the classes it applies to; empty means every sensor of the metric
 */
public record RuleDef(String id, Type type, String metric, List<String> deviceClasses, Map<Level, Double> above,
                      Map<Level, Double> below, Double clear, Duration minDuration, Double ratePerMinute,
                      Duration stuckFor, Duration horizon, String otherMetric, Double otherValue, Level level,
                      String description, List<FeedBinding> feeds) {

    public enum Type { THRESHOLD, RATE_OF_CHANGE, SENSOR_FAULT, TREND, COMPOSITE, OFFLINE, POWER_OFF_OVERRIDE }

    /**
     * A power-off controller's feed channel and the methane sensor it cuts power for, with that place's
     * power-off limit (AQ 1029: 1.5 % at a working face, 1.0 % in its return airway, 0.5 % in a high-gas
     * intake airway, 2.5 % in a drainage roadway).
     */
    public record FeedBinding(String feed, String methane, double powerOff) {
    }

    /** A rule of any type but {@link Type#POWER_OFF_OVERRIDE}, which alone has feeds. */
    public RuleDef(String id, Type type, String metric, List<String> deviceClasses, Map<Level, Double> above,
                   Map<Level, Double> below, Double clear, Duration minDuration, Double ratePerMinute,
                   Duration stuckFor, Duration horizon, String otherMetric, Double otherValue, Level level,
                   String description) {
        this(id, type, metric, deviceClasses, above, below, clear, minDuration, ratePerMinute, stuckFor, horizon,
                otherMetric, otherValue, level, description, List.of());
    }

    public RuleDef {
        deviceClasses = deviceClasses == null ? List.of() : List.copyOf(deviceClasses);
        above = above == null ? Map.of() : Map.copyOf(above);
        below = below == null ? Map.of() : Map.copyOf(below);
        minDuration = minDuration == null ? Duration.ZERO : minDuration;
        feeds = feeds == null ? List.of() : List.copyOf(feeds);
    }

    public boolean appliesTo(String sensorMetric, String deviceClass) {
        return (metric == null || metric.equals(sensorMetric))
                && (deviceClasses.isEmpty() || deviceClasses.contains(deviceClass));
    }
}
