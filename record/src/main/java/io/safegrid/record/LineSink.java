package io.safegrid.record;

import java.util.List;

/** Where batches of line protocol go. One call at a time, from the recorder's writer thread. */
interface LineSink extends AutoCloseable {

    /** Writes the batch or throws; returns only when the server has taken every line. */
    void write(List<String> lines) throws WriteFailure;

    @Override
    void close();

    /** A failed write: retryable (server down, slow, overloaded, misconfigured) or a rejection of the data itself. */
    final class WriteFailure extends Exception {
        private final boolean retryable;
        private final int status;

        WriteFailure(String message, int status, boolean retryable, Throwable cause) {
            super(message, cause);
            this.status = status;
            this.retryable = retryable;
        }

        boolean retryable() { return retryable; }

        /** HTTP status, 0 when no answer came (refused, timed out). */
        int status() { return status; }

        /**
         * Whether the server refused for want of disk space: QuestDB's {@code errno: 28, No space left}
         * (HTTP 500), InfluxDB's {@code no space left on device}, VictoriaMetrics' read-only mode (HTTP 503).
         */
        boolean diskFull() { return diskFull(getMessage()); }

        static boolean diskFull(String message) {
            String m = String.valueOf(message).toLowerCase(java.util.Locale.ROOT);
            return m.contains("no space left") || m.contains("errno: 28") || m.contains("errno=28")
                    || m.contains("read-only mode") || m.contains("disk full");
        }
    }
}
