package io.safegrid.alerting.disk;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the free space of the data directory against two watermarks and keeps room for the
 * alarm store: a reserve file of real (not sparse) bytes, deleted when the disk falls below the
 * refusing level or the alarm store fails, so the alarm store can go on writing while everything
 * else has filled the disk; made again once free space is back above the warning level with room
 * for it.
 */
public final class DiskWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiskWatch.class);
    /** The reserve file's name in the data directory. */
    public static final String RESERVE = "alarm-store.reserve";

    public enum Level { OK, WARNING, REFUSING }

    private final Path dir;
    private final DiskSettings settings;
    private final Consumer<Level> onChange;
    private final AtomicLong free = new AtomicLong(-1);
    private final AtomicLong reserved = new AtomicLong();
    private final Counter released;
    private final Counter checkErrors;
    private volatile Level level = Level.OK;
    private ScheduledExecutorService timer;

    public DiskWatch(Path dir, DiskSettings settings, MeterRegistry registry, Consumer<Level> onChange) {
        this.dir = dir;
        this.settings = settings;
        this.onChange = onChange;
        Gauge.builder("safegrid.disk.free", free, AtomicLong::get).baseUnit("bytes")
                .description("usable space left where the data directory is").register(registry);
        Gauge.builder("safegrid.disk.level", this, w -> w.level.ordinal())
                .description("0 ok, 1 below the warning level, 2 below the refusing level").register(registry);
        Gauge.builder("safegrid.disk.reserve", reserved, AtomicLong::get).baseUnit("bytes")
                .description("space held in reserve for the alarm store").register(registry);
        released = Counter.builder("safegrid.disk.reserve.released").register(registry);
        checkErrors = Counter.builder("safegrid.disk.check.errors").register(registry);
    }

    public void start() {
        try {
            Path f = dir.resolve(RESERVE);
            if (Files.exists(f)) {
                reserved.set(Files.size(f));
            }
        } catch (IOException e) {
            LOG.debug("cannot size the reserve: {}", e.toString());
        }
        check();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "disk-watch");
            t.setDaemon(true);
            return t;
        });
        long ms = settings.interval().toMillis();
        timer.scheduleWithFixedDelay(this::check, ms, ms, TimeUnit.MILLISECONDS);
    }

    public Level level() {
        return level;
    }

    /** Bytes of the free space that belong to the alarm store (its reserve, while released); others must not count them. */
    public long setAside() {
        return Math.max(0, settings.reserveBytes() - reserved.get());
    }

    /** Looks at free space now; keeps or releases the reserve; reports a change of level (outside the watch's lock). */
    public void check() {
        Level changed = measure();
        if (changed != null) {
            onChange.accept(changed);
        }
    }

    private synchronized Level measure() {
        long usable;
        try {
            Files.createDirectories(dir);
            usable = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException | RuntimeException e) {
            checkErrors.increment();
            LOG.warn("cannot read the free space of {}: {}", dir, e.toString());
            return null;
        }
        free.set(usable);
        // a released reserve still counts as taken: the space it freed belongs to the alarm store
        long effective = usable - (settings.reserveBytes() - reserved.get());
        Level now = effective < settings.refuseFreeBytes() ? Level.REFUSING
                : effective < settings.warnFreeBytes() ? Level.WARNING : Level.OK;
        if (now == Level.REFUSING) {
            releaseReserve("free space " + mib(usable) + " MiB is below the refusing level");
        } else if (reserved.get() == 0 && settings.reserveBytes() > 0
                && usable >= settings.warnFreeBytes() + settings.reserveBytes()) {
            makeReserve();
        }
        Level was = level;
        if (now != was) {
            level = now;
            if (now == Level.OK) {
                LOG.info("disk of {}: {} MiB free, back above the warning level", dir, mib(usable));
            } else if (now == Level.WARNING) {
                LOG.warn("disk of {}: {} MiB free, below the warning level of {} MiB", dir, mib(usable),
                        mib(settings.warnFreeBytes()));
            } else {
                LOG.error("DISK ALMOST FULL at {}: {} MiB free, below the refusing level of {} MiB", dir, mib(usable),
                        mib(settings.refuseFreeBytes()));
            }
            return now;
        }
        return null;
    }

    /** Gives the reserved space back at once (the alarm store failed: it needs the room now). */
    public synchronized void releaseReserve(String why) {
        Path f = dir.resolve(RESERVE);
        try {
            if (Files.deleteIfExists(f)) {
                released.increment();
                LOG.warn("released the {} MiB reserved for the alarm store: {}", mib(reserved.get()), why);
            }
        } catch (IOException e) {
            LOG.error("cannot release the alarm store's reserve {}", f, e);
        }
        reserved.set(0);
    }

    private void makeReserve() {
        Path f = dir.resolve(RESERVE);
        byte[] zeros = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(f)) {
            for (long left = settings.reserveBytes(); left > 0; left -= zeros.length) {
                out.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // reported below
            }
            LOG.warn("cannot reserve {} MiB for the alarm store in {}: {}", mib(settings.reserveBytes()), dir, e.toString());
            return;
        }
        reserved.set(settings.reserveBytes());
        LOG.info("reserved {} MiB for the alarm store ({})", mib(settings.reserveBytes()), f);
    }

    private static long mib(long bytes) {
        return bytes / (1024 * 1024);
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
