package io.safegrid.record;

import io.micrometer.core.instrument.Counter;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one batch in order. When the server refuses it as invalid (400/422 — QuestDB refuses a whole
 * request for one bad line), the batch is split in halves until the bad lines stand alone, so one
 * bad point does not cost its neighbours; those are counted, logged once per batch and skipped.
 * Used only by the recorder's writer thread.
 */
final class BatchSender {
    private static final Logger log = LoggerFactory.getLogger(BatchSender.class);

    private final LineSink sink;
    private final Counter written;
    private final Counter replayed;
    private final Counter rejected;
    private final Counter failures;

    BatchSender(LineSink sink, Counter written, Counter replayed, Counter rejected, Counter failures) {
        this.sink = sink;
        this.written = written;
        this.replayed = replayed;
        this.rejected = rejected;
        this.failures = failures;
    }

    /** A retryable failure part-way through a batch: lines before {@code done} are finished (stored or refused). */
    static final class Unsent extends Exception {
        private final int done;
        private final LineSink.WriteFailure failure;

        Unsent(int done, LineSink.WriteFailure failure) {
            super(failure.getMessage(), null, false, false);
            this.done = done;
            this.failure = failure;
        }

        int done() { return done; }

        LineSink.WriteFailure failure() { return failure; }
    }

    /** Lines the server refused within one batch, for a single log line. */
    private static final class Rejections {
        int count;
        int status;
        String message;
        String first;
    }

    /** @param replay whether the lines come from the spool (counted as replayed too) */
    void send(List<String> lines, boolean replay) throws Unsent {
        Rejections bad = new Rejections();
        send(lines, 0, replay, bad);
        if (bad.count > 0) {
            log.error("Time-series server rejected {} of {} points as invalid (HTTP {}: {}); not retrying them. First: {}",
                    bad.count, lines.size(), bad.status, bad.message, abbreviate(bad.first));
        }
    }

    private void send(List<String> lines, int offset, boolean replay, Rejections bad) throws Unsent {
        try {
            sink.write(lines);
            written.increment(lines.size());
            if (replay) {
                replayed.increment(lines.size());
            }
        } catch (LineSink.WriteFailure f) {
            failures.increment();
            if (f.retryable()) {
                throw new Unsent(offset, f);
            }
            if (lines.size() == 1) {
                rejected.increment();
                if (bad.count++ == 0) {
                    bad.status = f.status();
                    bad.message = f.getMessage();
                    bad.first = lines.get(0);
                }
                return;
            }
            int mid = lines.size() / 2;
            send(lines.subList(0, mid), offset, replay, bad);
            send(lines.subList(mid, lines.size()), offset + mid, replay, bad);
        }
    }

    private static String abbreviate(String line) {
        return line == null || line.length() <= 300 ? line : line.substring(0, 300) + "…";
    }
}
