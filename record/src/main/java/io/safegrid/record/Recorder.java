package io.safegrid.record;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Subscription;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.bus.Urgency;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.reading.Reading;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every reading, finding and alarm event as time series.
 *
 * <p>Bus handlers (consumer group {@value #GROUP}) only encode a line and append it to memory, or
 * to the disk {@link Spool} when memory is full or the server is down — they never wait on the
 * network. One writer thread sends batches of {@link RecordSettings#requestLines()} with {@link LineSink},
 * or what has gathered within {@code flushInterval}.
 *
 * <p>Order and completeness: all points form one queue — memory, then spool. While the spool holds
 * anything, new points go behind it on disk; the writer sends memory first (it is older), then
 * replays the spool, and only when the spool is empty do new points stay in memory again. A batch
 * that fails is put back at the front of the spool together with whatever memory held, so a
 * series is never reordered and nothing accepted is lost short of the disk limit (see {@link Spool}).
 * Delivery is at least once: a batch the server stored but whose answer was lost is sent again.
 *
 * <p>A full disk: a server that refuses a batch for want of space (the embedded QuestDB answers
 * {@code errno 28} at ingest) is down like one that does not answer, with the reason for /health
 * ({@link #downReason()}). When the spool's own disk is full too (by default it shares the data
 * directory), the points stay in memory, up to twice {@link RecordSettings#memoryLines()} and out of
 * order with what the spool holds; only past that are they lost (counted, logged), and from then on
 * {@link #awaitDurable} says no, so the ingest journal keeps its readings for the next start to replay.
 *
 * <p>Lifecycle: {@link #start()} subscribes and starts the writer; {@link #close()} unsubscribes,
 * sends what it can within the drain timeout, spools the rest for the next start, and stops.
 */
public final class Recorder implements AutoCloseable {
    public static final String GROUP = "record";
    private static final Logger log = LoggerFactory.getLogger(Recorder.class);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

    private final RecordSettings settings;
    private final Bus bus;
    private final LineSink sink;
    private final BatchSender sender;
    private final LineEncoder encoder;
    private final GridTags grid;
    private final Spool spool;
    private final Clock clock;

    private final ReentrantLock lock = new ReentrantLock();
    private volatile java.util.function.BooleanSupplier target = () -> true;
    private final Condition batchReady = lock.newCondition();
    /** Signalled when lines leave memory for good (sent, or moved to the spool). */
    private final Condition settledMore = lock.newCondition();
    /** Lines ever put in memory, and those that left it for good; memory is FIFO, so they settle in order. Guarded by lock. */
    private long memoryAdded;
    private long memorySettled;
    private final ArrayDeque<String> memory = new ArrayDeque<>();
    /** True while the spool holds points: new points then go behind them on disk. Guarded by lock. */
    private boolean spooling;
    private volatile boolean closing;
    /** Whether the last write failed for want of a server; only the writer thread sets it. */
    private volatile boolean down;
    /** Why the record is down, for /health; null while it is up. Only the writer thread sets it. */
    private volatile String downReason;
    /** Whether {@link #downReason} is a full disk, which a dropped connection in the same outage does not replace. */
    private boolean downForDisk;
    /** Whether points were lost since start: {@link #awaitDurable} can then never again say they are durable. */
    private volatile boolean lostAny;
    private volatile boolean closed;

    private final List<Subscription> subscriptions = new ArrayList<>();
    private Thread writer;

    private final Counter written;
    private final Counter spooled;
    private final Counter replayed;
    private final Counter rejected;
    private final Counter unwritable;
    private final Counter unknownSite;
    private final Counter writeFailures;
    private final Counter lost;
    private final Counter diskFull;

    /** Writes to {@code settings.url()}: use for {@link RecordSettings.Target#INFLUXDB}. */
    public Recorder(RecordSettings settings, ConfigSource config, Bus bus, MeterRegistry registry) {
        this(settings, settings.url(), config, bus, registry);
    }

    /** Writes to {@code serverUrl}, e.g. {@link EmbeddedQuestDb#url()}. */
    public Recorder(RecordSettings settings, String serverUrl, ConfigSource config, Bus bus, MeterRegistry registry) {
        this(settings, new InfluxLineSink(serverUrl, settings), config, bus, registry, Clock.systemUTC());
    }

    Recorder(RecordSettings settings, LineSink sink, ConfigSource config, Bus bus, MeterRegistry registry, Clock clock) {
        this.settings = settings;
        this.bus = bus;
        this.sink = sink;
        this.clock = clock;
        this.grid = new GridTags(config);
        this.encoder = new LineEncoder(grid);
        this.spool = new Spool(settings.spoolDir(), settings.spoolMaxBytes(), settings.segmentBytes(), registry, clock);
        this.spooling = !spool.isEmpty();
        this.written = counter(registry, "safegrid.record.points.written", "Points the time-series server accepted");
        this.spooled = counter(registry, "safegrid.record.points.spooled", "Points put on the disk spool");
        this.replayed = counter(registry, "safegrid.record.points.replayed", "Spooled points later accepted by the server");
        this.rejected = counter(registry, "safegrid.record.points.rejected",
                "Points the server refused as invalid (HTTP 400/422); not retried");
        this.unwritable = counter(registry, "safegrid.record.points.unwritable",
                "Messages with nothing to record (e.g. a NaN reading), or offered after close");
        this.unknownSite = counter(registry, "safegrid.record.points.unknown.site",
                "Points whose site is not in the grid; recorded with the site tag only");
        this.writeFailures = counter(registry, "safegrid.record.write.failures", "Failed write requests");
        this.lost = counter(registry, "safegrid.record.points.lost", "Points lost because the spool could not be written (disk error)");
        this.diskFull = counter(registry, "safegrid.record.write.disk.full",
                "Write requests the time-series server refused for want of disk space (the points are kept)");
        this.sender = new BatchSender(sink, written, replayed, rejected, writeFailures);
        Gauge.builder("safegrid.record.server.up", this, r -> r.down ? 0 : 1)
                .description("1 while the time-series server takes writes, 0 while points are being spooled for it")
                .register(registry);
        Gauge.builder("safegrid.record.memory.points", this, Recorder::memoryPoints)
                .description("Points waiting in memory for the writer").register(registry);
    }

    private static Counter counter(MeterRegistry r, String name, String description) {
        return Counter.builder(name).description(description).register(r);
    }

    /** Subscribes to readings, findings and alarm events and starts the writer. */
    public synchronized void start() {
        if (writer != null) {
            throw new IllegalStateException("recorder already started");
        }
        writer = new Thread(this::runWriter, "record-writer");
        writer.setDaemon(true);
        writer.start();
        if (bus != null) {
            // the writer sends batches anyway: its consumer need not be woken for every reading
            subscriptions.add(bus.subscribe(Topic.READINGS, GROUP, Urgency.BULK, (k, r) -> record(r)));
            subscriptions.add(bus.subscribe(Topic.FINDINGS, GROUP, (k, f) -> record(f)));
            subscriptions.add(bus.subscribe(Topic.ALARMS, GROUP, (k, e) -> record(e)));
        }
        log.info("Recording readings, findings and alarm events in batches of {} (spool {}, limit {} bytes, {} points "
                + "waiting from before)", settings.requestLines(), settings.spoolDir(), settings.spoolMaxBytes(), spool.pending());
    }

    public void record(Reading r) {
        noteSite(r.site());
        offer(encode(r, encoder::reading));
    }

    public void record(Finding f) {
        noteSite(f.site());
        offer(encode(f, encoder::finding));
    }

    public void record(AlarmEvent e) {
        offer(encode(e, encoder::alarm));
    }

    /** A message the encoder cannot turn into a line (a missing field) is counted and logged, not thrown at the bus. */
    private <T> String encode(T message, java.util.function.Function<T, String> how) {
        try {
            return how.apply(message);
        } catch (RuntimeException e) {
            log.warn("Cannot record {}: {}", message.getClass().getSimpleName(), e.toString());
            return null;
        }
    }

    private void noteSite(io.safegrid.model.grid.GridPath site) {
        if (site != null && !grid.known(site)) {
            unknownSite.increment();
        }
    }

    /** Never blocks on the network: memory if there is room and nothing is spooled, else the spool. Tests offer raw lines. */
    void offer(String line) {
        if (line == null || closed) {
            unwritable.increment();
            if (closed) {
                log.warn("Point offered after the recorder closed; not recorded");
            }
            return;
        }
        lock.lock();
        try {
            if (!spooling && memory.size() < settings.memoryLines()) {
                memory.addLast(line);
                memoryAdded++;
                if (memory.size() == settings.requestLines()) {
                    batchReady.signal();
                }
                return;
            }
            if (!spooling) {
                log.warn("Record memory buffer full ({} points); spooling to disk until the writer catches up",
                        memory.size());
            }
            spooling = true;
            try {
                spool.append(line);
                spooled.increment();
                return;
            } catch (java.io.UncheckedIOException e) {
                // the spool said so; the point waits in memory instead
            }
            if (memory.size() < 2 * settings.memoryLines()) {
                memory.addLast(line); // sent before what the spool holds: the order is given up, not the point
                memoryAdded++;
                return;
            }
            lost.increment();
            if (!lostAny) {
                log.error("RECORD POINTS LOST: neither the spool at {} nor memory ({} points) can hold more; lost points "
                        + "are counted in safegrid.record.points.lost, and the ingest journal keeps the readings among "
                        + "them for the next start to replay. Free space there and restart the node",
                        settings.spoolDir(), memory.size());
            }
            lostAny = true;
        } finally {
            lock.unlock();
        }
    }

    private void runWriter() {
        try {
            writeUntilClosed();
        } catch (RuntimeException e) {
            log.error("RECORD WRITER FAILED; points stay in memory/spool until restart", e);
        } finally {
            lock.lock();
            try {
                if (!memory.isEmpty()) {
                    spool.prepend(new ArrayList<>(memory));
                    spooled.increment(memory.size());
                    settled(memory.size());
                    memory.clear();
                }
            } catch (RuntimeException e) {
                // close() tries once more, and counts them if it cannot either
                log.error("{} points in memory could not be spooled to {}", memory.size(), settings.spoolDir(), e);
            } finally {
                lock.unlock();
            }
        }
    }

    private void writeUntilClosed() {
        long backoffMs = settings.retryInitial().toMillis();
        long lastForce = clock.millis();
        long drainDeadline = Long.MAX_VALUE;
        boolean spoolStuck = false; // said once, not every back-off, while e.g. its disk is full
        while (true) {
            if (closing && drainDeadline == Long.MAX_VALUE) {
                drainDeadline = clock.millis() + DRAIN_TIMEOUT.toMillis();
            }
            if (clock.millis() - lastForce >= settings.spoolFsync().toMillis()) {
                spool.force();
                lastForce = clock.millis();
            }
            Work work;
            try {
                work = nextWork();
                spoolStuck = false;
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                if (!spoolStuck) {
                    log.error("Record writer cannot read its spool at {}; trying again", settings.spoolDir(), e);
                }
                spoolStuck = true;
                sleep(backoffMs);
                continue;
            }
            if (work == null) {
                if (closing) {
                    break;
                }
                continue;
            }
            List<String> lines = work.lines();
            if (!target.getAsBoolean()) {
                // the server would take the lines but not show them (QuestDB suspended a table): they wait in the spool
                if (work.fromSpool() == null) {
                    putBack(lines);
                }
                if (!down) {
                    log.warn("Record tables not taking writes; {} points wait in the spool at {} and {} in memory",
                            spool.pending(), settings.spoolDir(), memoryPoints());
                    downReason = "the record's tables do not take writes";
                    downForDisk = false;
                    down = true;
                }
                if (closing) {
                    break;
                }
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, settings.retryMax().toMillis());
                continue;
            }
            try {
                sender.send(lines, work.fromSpool() != null);
                if (work.fromSpool() != null) {
                    spool.ack(work.fromSpool());
                } else {
                    settledUnderLock(lines.size());
                }
                if (down) {
                    log.info("Time-series server is back; {} points still spooled", spool.pending());
                    down = false;
                    downReason = null;
                }
                backoffMs = settings.retryInitial().toMillis();
            } catch (BatchSender.Unsent u) {
                // lines before u.done were accepted or rejected; the rest never reached the server
                if (work.fromSpool() != null) {
                    Spool.Batch b = work.fromSpool();
                    spool.ack(new Spool.Batch(b.segment(), b.from(), b.lines().subList(0, u.done())));
                } else {
                    settledUnderLock(u.done());
                    putBack(lines.subList(u.done(), lines.size())); // or, while the spool refuses, kept in memory
                }
                refused(u.failure());
                if (closing) {
                    break; // no use waiting: what is left stays spooled for the next start
                }
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, settings.retryMax().toMillis());
            } catch (RuntimeException e) {
                writeFailures.increment();
                log.error("Unexpected failure writing to the time-series server", e);
                if (work.fromSpool() == null) {
                    putBack(lines);
                }
                sleep(backoffMs);
            }
            if (closing && clock.millis() > drainDeadline) {
                log.warn("Recorder drain timeout; {} points stay spooled for the next start", spool.pending() + memoryPoints());
                break;
            }
        }
    }

    /**
     * The server did not take a batch: the record is down, with the reason. A refusal for want of disk
     * space is said once as such, naming where space is needed, and counted; a dropped connection in
     * the same outage does not hide that reason.
     */
    private void refused(LineSink.WriteFailure f) {
        boolean full = f.diskFull();
        if (full) {
            diskFull.increment();
        }
        boolean fullBefore = downReason != null && downForDisk;
        if (full && !fullBefore) {
            log.error("RECORD STORE DISK FULL: the time-series server refused points for want of disk space ({}). Free "
                    + "space in {}; until then {} points wait in the spool at {} and {} in memory, and they are written "
                    + "once space returns", f.getMessage(), storeDir(), spool.pending(), settings.spoolDir(), memoryPoints());
        } else if (!down) {
            log.warn("Time-series server unavailable (HTTP {}: {}); spooling to {}", f.status(), f.getMessage(),
                    settings.spoolDir());
        }
        if (full || !fullBefore) {
            downReason = full ? "disk full: the time-series server refuses points in " + storeDir() + " (" + f.getMessage() + ")"
                    : "the time-series server does not take writes (" + (f.status() == 0 ? "" : "HTTP " + f.status() + ": ")
                    + f.getMessage() + ")";
            downForDisk = full;
        }
        down = true;
    }

    /** Where the store keeps its data: the embedded QuestDB's directory, or the remote server's. */
    private String storeDir() {
        return settings.target() == RecordSettings.Target.QUESTDB_EMBEDDED
                ? settings.questDbDir().toAbsolutePath().toString()
                : "the data directory of the server at " + settings.url();
    }

    /** One batch to send: lines and, when replayed from disk, the spool batch to acknowledge. */
    private record Work(List<String> lines, Spool.Batch fromSpool) {}

    /** Memory first (it is older than anything spooled), then the spool; waits up to flushInterval to fill a request. */
    private Work nextWork() throws InterruptedException {
        lock.lock();
        try {
            if (memory.isEmpty() && spooling) {
                Spool.Batch b = spool.next(settings.requestLines());
                if (b != null) {
                    return new Work(b.lines(), b);
                }
                spooling = false; // spool drained under the lock: new points may stay in memory again
                log.info("Record spool drained");
            }
            long waitNs = settings.flushInterval().toNanos();
            while (memory.size() < settings.requestLines() && !spooling && !closing && waitNs > 0) {
                waitNs = batchReady.awaitNanos(waitNs);
            }
            if (memory.isEmpty()) {
                return null;
            }
            int n = Math.min(memory.size(), settings.requestLines());
            List<String> lines = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                lines.add(memory.pollFirst());
            }
            return new Work(lines, null);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A failed batch from memory goes to the front of the spool, followed by the rest of memory. If
     * the disk refuses, the batch goes back to the front of memory instead (nothing is lost while the
     * process lives) and false is returned.
     */
    private boolean putBack(List<String> batch) {
        lock.lock();
        try {
            List<String> all = new ArrayList<>(batch.size() + memory.size());
            all.addAll(batch);
            all.addAll(memory);
            spool.prepend(all);
            settled(all.size());
            memory.clear();
            spooled.increment(all.size());
            spooling = true;
            return true;
        } catch (RuntimeException e) {
            if (!(e instanceof java.io.UncheckedIOException)) { // a full disk the spool has said itself
                log.error("Cannot spool a failed batch to {}; keeping it in memory", settings.spoolDir(), e);
            }
            for (int i = batch.size() - 1; i >= 0; i--) {
                memory.addFirst(batch.get(i));
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Back-off. Woken early by close(), so shutdown does not wait out a long back-off; keeps forcing
     * the spool every {@code spoolFsync} meanwhile, since an outage is exactly when points pile up there.
     */
    private void sleep(long ms) {
        long fsyncNs = settings.spoolFsync().toNanos();
        long ns = TimeUnit.MILLISECONDS.toNanos(ms);
        while (ns > 0 && !closing) {
            long slice = Math.min(ns, fsyncNs);
            long left;
            lock.lock();
            try {
                left = closing ? 0 : batchReady.awaitNanos(slice);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            ns -= slice - Math.max(0, left);
            if (left <= 0) {
                spool.force(); // outside our lock: bus threads keep appending meanwhile
            }
        }
    }

    private void settled(int lines) {
        memorySettled += lines;
        settledMore.signalAll();
    }

    private void settledUnderLock(int lines) {
        lock.lock();
        try {
            settled(lines);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every point offered before the call is durable: sent to the server, or in the spool
     * and forced to disk. The ingest journal's checkpoint asks this before it forgets readings.
     *
     * @return false on timeout, once the recorder has stopped, while the spool cannot be forced to disk,
     *         and ever after points were lost (the journal must keep them for the next start)
     */
    public boolean awaitDurable(Duration timeout) throws InterruptedException {
        if (lostAny) {
            return false;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            long target = memoryAdded;
            while (memorySettled < target) {
                long left = deadline - System.nanoTime();
                if (closed || left <= 0) {
                    return false;
                }
                settledMore.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
        return spool.force() && !lostAny && !closed;
    }

    /** Points held in memory, not yet sent. */
    public int memoryPoints() {
        lock.lock();
        try {
            return memory.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A further condition for writing beyond the server answering (e.g. {@link WalWatch#healthy}):
     * while it is false, points stay in the spool and {@link #serverUp()} is false.
     */
    public void writeOnlyWhile(java.util.function.BooleanSupplier ready) {
        this.target = ready;
    }

    /** False while the time-series server is failing and points go to the spool; for /health. */
    public boolean serverUp() { return !down; }

    /** Why the record is down (e.g. the store's disk is full, and where), or null while it is up; for /health. */
    public String downReason() { return down ? downReason : null; }

    /** Points waiting in the disk spool. */
    public long spooledPoints() { return spool.pending(); }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            for (Subscription s : subscriptions) {
                s.close();
            }
            subscriptions.clear();
            closing = true;
        }
        lock.lock();
        try {
            batchReady.signalAll();
        } finally {
            lock.unlock();
        }
        Thread w = writer;
        if (w != null) {
            try {
                w.join(DRAIN_TIMEOUT.plus(settings.requestTimeout()).plusSeconds(1).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (w.isAlive()) {
                log.error("Record writer did not stop in time; interrupting it");
                w.interrupt();
            }
        }
        closed = true;
        lock.lock();
        try {
            if (!memory.isEmpty()) {
                spool.prepend(new ArrayList<>(memory));
                settled(memory.size());
                memory.clear();
            }
        } catch (RuntimeException e) {
            lost.increment(memory.size());
            lostAny = true;
            log.error("RECORD POINTS LOST at close: {} points in memory could not be spooled to {} ({}); the ingest "
                    + "journal keeps the readings among them for the next start", memory.size(), settings.spoolDir(),
                    e.getMessage());
        } finally {
            lock.unlock();
        }
        spool.close();
        sink.close();
        log.info("Recorder stopped; {} points spooled for the next start", spool.pending());
    }
}
