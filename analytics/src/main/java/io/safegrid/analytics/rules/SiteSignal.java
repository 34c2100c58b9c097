package io.safegrid.analytics.rules;

/**
 * The latest value of one metric at one site (e.g. the ventilation fan's state), written by that
 * sensor's thread and read by a composite rule on another device's thread.
 */
final class SiteSignal {
    volatile double value = Double.NaN;
}
