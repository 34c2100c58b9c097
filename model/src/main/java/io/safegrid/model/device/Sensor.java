package io.safegrid.model.device;

import io.safegrid.model.grid.GridPath;

/**
 * One measuring channel: one metric at one place. A data logger with many factors (HJ 212 MN)
 * is several sensors sharing its MN.
 *
 * @param metric      catalogue id, e.g. {@code methane}, {@code co}, {@code temperature}
 * @param unit        e.g. {@code %}, {@code ppm}, {@code °C}
 * @param range       what the sensor can measure; outside it the reading is a sensor fault
 * @param deviceClass where/what it is, which picks rules and the offline timeout, e.g. {@code coal-working-face}
 */
public record Sensor(String id, String name, GridPath site, String metric, String unit, ValueRange range,
                     String deviceClass, Protocol protocol) implements Device {
}
