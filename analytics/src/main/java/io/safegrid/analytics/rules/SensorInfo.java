package io.safegrid.analytics.rules;

import io.safegrid.model.device.ValueRange;
import io.safegrid.model.grid.GridPath;

/** What a rule needs to know about the sensor it judges, resolved once per config. */
record SensorInfo(String deviceId, GridPath site, String metric, String deviceClass, String unit,
                  ValueRange range, String metricZh, String metricEn) {
}
