package io.safegrid.ingest.journal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the journal's checkpoint forward. Every {@code checkpointInterval} it notes the journal's
 * last sequence, then asks each durable {@link Stage} in turn (the bus has delivered all readings,
 * then all findings; the record has written or spooled them) to confirm that everything handed to it
 * so far is durable. Entries are written after the bus took their readings, so once every stage
 * says yes, all entries up to the noted sequence are safe to forget. A stage that cannot say so in
 * time leaves the checkpoint where it is: replay then covers more, never less.
 *
 * <p>Also forces the journal every {@code fsync-interval} under {@link JournalSettings.Fsync#INTERVAL}.
 * {@link #close()} tries one last checkpoint and says what stays in the journal for the next start.
 */
public final class Checkpoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    /** How long one checkpoint waits for its stages; the last one, at shutdown, waits less. */
    private static final Duration STAGE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration LAST_TIMEOUT = Duration.ofSeconds(3);

    /** Something behind the bus that can say when what it was handed so far is durable. */
    public interface Stage {
        String name();

        /** True once everything handed to this stage before the call is durable; false on timeout. */
        boolean awaitDurable(Duration timeout) throws InterruptedException;

        static Stage of(String name, Waiter w) {
            return new Stage() {
                @Override
                public String name() { return name; }

                @Override
                public boolean awaitDurable(Duration timeout) throws InterruptedException {
                    return w.await(timeout);
                }
            };
        }
    }

    @FunctionalInterface
    public interface Waiter {
        boolean await(Duration timeout) throws InterruptedException;
    }

    private final Journal journal;
    private final List<Stage> stages;
    private final Counter stalled;
    private ScheduledExecutorService scheduler;
    private long lastStallLog;

    public Checkpoints(Journal journal, List<Stage> stages, MeterRegistry registry) {
        this.journal = journal;
        this.stages = List.copyOf(stages);
        this.stalled = Counter.builder("safegrid.journal.checkpoint.stalls")
                .description("Checkpoints that could not advance because a stage did not confirm in time").register(registry);
    }

    public synchronized void start() {
        // two threads: a checkpoint waiting for a slow stage must not hold back the fsync
        scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "journal-checkpoint");
            t.setDaemon(true);
            return t;
        });
        long every = journal.settings().checkpointInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
        if (journal.settings().fsync() == JournalSettings.Fsync.INTERVAL) {
            long f = journal.settings().fsyncInterval().toMillis();
            scheduler.scheduleWithFixedDelay(journal::force, f, f, TimeUnit.MILLISECONDS);
        }
    }

    private void tick() {
        try {
            checkpoint(STAGE_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | IOException e) {
            LOG.warn("Journal checkpoint failed", e);
        }
    }

    /** One checkpoint; false when the stages did not all confirm within {@code timeout}. */
    public boolean checkpoint(Duration timeout) throws InterruptedException, IOException {
        long upTo = journal.lastSequence();
        if (upTo <= journal.confirmed()) {
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Stage s : stages) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            if (!s.awaitDurable(left)) {
                stalled.increment();
                long now = System.nanoTime();
                if (now - lastStallLog > TimeUnit.MINUTES.toNanos(1)) {
                    lastStallLog = now;
                    LOG.warn("Journal checkpoint held: {} did not confirm within {}; {} readings wait in the journal",
                            s.name(), timeout, journal.unconfirmed());
                }
                return false;
            }
        }
        journal.confirm(upTo);
        return true;
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(LAST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scheduler = null;
        }
        try {
            checkpoint(LAST_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | IOException e) {
            LOG.warn("Last journal checkpoint failed", e);
        }
        long left = journal.unconfirmed();
        journal.close();
        if (left == 0) {
            LOG.info("Ingest journal closed: every acknowledged reading is confirmed by the record");
        } else {
            LOG.warn("Ingest journal closed with {} readings after checkpoint {} not yet confirmed; they are replayed "
                    + "at the next start", left, journal.confirmed());
        }
    }
}
