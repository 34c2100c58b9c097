package io.safegrid.alerting.outbox;

import java.time.Duration;

/**
 * Retry policy of the outbox. Attempt n (n ≥ 1) that fails is retried after
 * {@code firstRetry × multiplier^(n-1)}, capped at {@code maxRetry}; a delivery is failed for good
 * after {@code maxAttempts} attempts or once the next try would fall later than {@code maxAge} after
 * it was queued.
 *
 * @param poll          how often the dispatcher looks for due retries (new rows wake it at once)
 * @param drainOnClose  how long {@code close()} waits for sends in flight
 */
public record OutboxSettings(Duration firstRetry, Duration maxRetry, double multiplier, int maxAttempts,
                             Duration maxAge, Duration poll, Duration drainOnClose) {
    public OutboxSettings {
        if (firstRetry.isNegative() || firstRetry.isZero() || maxRetry.compareTo(firstRetry) < 0) {
            throw new IllegalArgumentException("retry delays must be positive and maxRetry ≥ firstRetry");
        }
        if (multiplier < 1 || maxAttempts < 1 || maxAge.isNegative() || poll.isNegative() || poll.isZero()) {
            throw new IllegalArgumentException("multiplier ≥ 1, maxAttempts ≥ 1, maxAge ≥ 0 and poll > 0 please");
        }
    }

    /** 10 s, 20 s, 40 s … capped at 10 min; 12 attempts (about an hour) within 2 h. */
    public static OutboxSettings defaults() {
        return new OutboxSettings(Duration.ofSeconds(10), Duration.ofMinutes(10), 2.0, 12, Duration.ofHours(2),
                Duration.ofMillis(500), Duration.ofSeconds(10));
    }

    /** The wait after failed attempt {@code attempt} (1-based). */
    public Duration backoff(int attempt) {
        double ms = firstRetry.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        return ms >= maxRetry.toMillis() ? maxRetry : Duration.ofMillis((long) ms);
    }
}
