package io.safegrid.ingest.session;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * Per-device rate limit ({@code node.maxReadingsPerSecondPerDevice}): a token bucket per device,
 * one token per reading. A batch larger than one second's allowance is refused whole. A limit of
 * zero or less turns limiting off.
 */
public final class RateLimits {
    private final Clock clock;
    private final DoubleSupplier ratePerSecond;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public RateLimits(Clock clock, DoubleSupplier ratePerSecond) {
        this.clock = clock;
        this.ratePerSecond = ratePerSecond;
    }

    /** True when the device may send {@code readings} more readings now. */
    public boolean tryAcquire(String deviceId, int readings) {
        double rate = ratePerSecond.getAsDouble();
        if (rate <= 0) {
            return true;
        }
        long now = clock.millis();
        TokenBucket b = buckets.get(deviceId);   // a get takes no lock; compute locks the map's bin for every reading
        if (b == null || b.rate() != rate) {
            b = buckets.compute(deviceId, (k, old) -> old == null || old.rate() != rate ? new TokenBucket(rate, now) : old);
        }
        synchronized (b) {
            return b.tryTake(readings, now);
        }
    }
}
