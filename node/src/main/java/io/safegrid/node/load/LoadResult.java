package io.safegrid.node.load;

import org.HdrHistogram.Histogram;

/**
 * What a run achieved. {@code completed} counts readings acknowledged by the target (PUBACK,
 * HTTP 2xx, HJ 212 9014) or, in-process, seen on the bus; latency is from send to that moment.
 */
public record LoadResult(String protocol, String latencyTo, long sent, long completed, long errors, double seconds,
                         Histogram latencyMicros) {

    public double achievedPerSecond() { return seconds <= 0 ? 0 : completed / seconds; }

    public String summary() {
        Histogram h = latencyMicros;
        return String.format(
                "%s: sent %d, completed %d, errors %d in %.1f s = %.0f readings/s; latency to %s (ms) p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.2f",
                protocol, sent, completed, errors, seconds, achievedPerSecond(), latencyTo,
                ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9), h.getMaxValue() / 1000.0);
    }

    private static double ms(Histogram h, double p) { return h.getValueAtPercentile(p) / 1000.0; }
}
