package io.safegrid.config;

import io.safegrid.model.device.ValueRange;

/**
 * A metric in the deployment's catalogue; sensors must name one.
 *
 * @param hj212Factor the HJ 212 factor code usually used for it (e.g. {@code a21005} for CO), or null
 * @param range       the default valid range of a sensor measuring it
 */
public record MetricDef(String id, String nameZh, String nameEn, String unit, ValueRange range, String hj212Factor) {
}
