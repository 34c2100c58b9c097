package io.safegrid.ingest.session;

/**
 * A token bucket: {@code rate} tokens a second, holding at most one second's worth (at least one
 * token). Not thread-safe; callers synchronise.
 */
final class TokenBucket {
    private final double rate;
    private final double capacity;
    private double tokens;
    private long lastMillis;

    TokenBucket(double rate, long nowMillis) {
        this.rate = rate;
        this.capacity = Math.max(1.0, rate);
        this.tokens = capacity;
        this.lastMillis = nowMillis;
    }

    /** Takes {@code n} tokens if all are there; otherwise takes none. */
    boolean tryTake(int n, long nowMillis) {
        if (nowMillis > lastMillis) {
            tokens = Math.min(capacity, tokens + (nowMillis - lastMillis) * rate / 1000.0);
            lastMillis = nowMillis;
        }
        if (tokens >= n) {
            tokens -= n;
            return true;
        }
        return false;
    }

    double rate() { return rate; }
}
