package io.safegrid.record;

/**
 * Lets the first {@code perWindow} error lines of each window through and counts the rest. On a full
 * disk the embedded QuestDB fails on every write and says so each time, tens of thousands of lines a
 * minute; the node's log needs the first few and how many followed, not all of them.
 */
final class ErrorBurst {
    private final int perWindow;
    private final long windowNanos;
    private long windowStart;
    private int admitted;
    private long suppressed;
    private boolean started;

    ErrorBurst(int perWindow, long windowNanos) {
        this.perWindow = perWindow;
        this.windowNanos = windowNanos;
    }

    /**
     * Whether the line at {@code now} may be logged. When a new window opens, {@code onSuppressed}
     * hears how many lines the last one held back (only if any were).
     */
    boolean admit(long now, java.util.function.LongConsumer onSuppressed) {
        if (!started || now - windowStart >= windowNanos) {
            if (suppressed > 0) {
                onSuppressed.accept(suppressed);
            }
            started = true;
            windowStart = now;
            admitted = 0;
            suppressed = 0;
        }
        if (admitted < perWindow) {
            admitted++;
            return true;
        }
        suppressed++;
        return false;
    }
}
