package io.safegrid.config.reload;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.config.ConfigError;
import io.safegrid.config.ConfigException;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeploymentLoader;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment file, live. Loads it at construction (a bad file there throws: a node must not
 * start on a config nobody checked), then follows edits: a {@link WatchService} on the file's
 * directory reacts within the debounce delay, and a periodic content check catches what the
 * watch misses (network file systems, symlinked config maps, lost events).
 *
 * <p>Every check compares the file's SHA-256 with the last one tried, so an unchanged file is not
 * re-read and a bad edit is reported once, not on every poll. A valid change replaces
 * {@link #current()} and is handed to the listeners on the watcher thread; an invalid one is
 * logged with every error and counted, and the last good deployment stays in force. A deleted
 * file also keeps the last good deployment until the file is back.
 *
 * <p>Metrics: {@code safegrid.config.reloads{result=ok|invalid|missing}},
 * {@code safegrid.config.last.success} (epoch seconds of the last good load) and
 * {@code safegrid.config.errors} (problems in the last attempt, 0 when it was good).
 */
public final class ConfigWatcher implements ConfigSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

    private final Path file;
    private final DeploymentLoader loader;
    private final Duration debounce;
    private final Duration pollInterval;
    private final List<Consumer<Deployment>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService executor;
    private final Counter ok;
    private final Counter invalid;
    private final Counter missing;
    private final AtomicInteger lastErrors = new AtomicInteger();
    private volatile Deployment current;
    private volatile double lastSuccessEpochSeconds;
    /** Hash of the content last tried, good or bad; null while the file is missing. Watcher thread only. */
    private byte[] lastTried;
    /** Hash of the content {@link #current} was loaded from. Watcher thread only. */
    private byte[] lastGood;
    private ScheduledFuture<?> pending;
    private WatchService watchService;
    private Thread watchThread;
    private volatile boolean closed;

    /** Watches with a 300 ms debounce and a 5 s fallback poll. */
    public ConfigWatcher(Path file, MeterRegistry registry) {
        this(file, registry, new DeploymentLoader(), Duration.ofMillis(300), Duration.ofSeconds(5));
    }

    /**
     * Loads the file now.
     *
     * @param debounce     how long the file must stay quiet after a change event before it is read
     *                     (editors write in several steps)
     * @param pollInterval how often the content is checked regardless of events
     * @throws ConfigException when the file cannot be used at startup
     */
    public ConfigWatcher(Path file, MeterRegistry registry, DeploymentLoader loader, Duration debounce,
                         Duration pollInterval) {
        this.file = file.toAbsolutePath();
        this.loader = loader;
        this.debounce = debounce;
        this.pollInterval = pollInterval;
        byte[] content = readOrFail();
        this.current = loader.read(this.file, content);
        this.lastTried = sha256(content);
        this.lastGood = lastTried;
        // meters only once the node can run on this file
        this.ok = reloads(registry, "ok");
        this.invalid = reloads(registry, "invalid");
        this.missing = reloads(registry, "missing");
        Gauge.builder("safegrid.config.last.success", this, w -> w.lastSuccessEpochSeconds)
                .description("When the deployment file was last loaded successfully").baseUnit("seconds")
                .register(registry);
        Gauge.builder("safegrid.config.errors", lastErrors, AtomicInteger::get)
                .description("Problems found in the last load attempt of the deployment file").register(registry);
        this.lastSuccessEpochSeconds = System.currentTimeMillis() / 1000.0;
        LOG.info("Loaded deployment '{}' from {}: {} sensors, {} cameras, {} rules, {} grid nodes", current.name(),
                this.file, current.sensors().size(), current.cameras().size(), current.rules().size(),
                current.grid().size());
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "config-watcher");
            t.setDaemon(true);
            return t;
        });
    }

    private static Counter reloads(MeterRegistry registry, String result) {
        return Counter.builder("safegrid.config.reloads").tag("result", result)
                .description("Reload attempts of the deployment file").register(registry);
    }

    /** Starts watching. Separate from the constructor so a node can register listeners first. */
    public synchronized void start() {
        if (watchThread != null) {
            return;
        }
        executor.scheduleWithFixedDelay(this::checkSafely, pollInterval.toMillis(), pollInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            watchService = FileSystems.getDefault().newWatchService();
            file.getParent().register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
            watchThread = new Thread(this::watch, "config-watch-events");
            watchThread.setDaemon(true);
            watchThread.start();
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("Cannot watch {} for changes ({}); falling back to checking it every {}", file.getParent(), e,
                    pollInterval);
            watchThread = new Thread(() -> { }, "config-watch-none");
        }
        LOG.info("Watching {} for changes (debounce {} ms, poll every {} ms)", file, debounce.toMillis(),
                pollInterval.toMillis());
    }

    @Override
    public Deployment current() {
        return current;
    }

    @Override
    public void onChange(Consumer<Deployment> listener) {
        listeners.add(listener);
    }

    public Path file() {
        return file;
    }

    /**
     * Checks the file now instead of waiting for an event or the next poll (e.g. for an admin
     * "reload" button). The check runs on the watcher thread, like every other; the caller waits for it.
     *
     * @return true when a new deployment was applied
     */
    public boolean checkNow() {
        try {
            return executor.submit(this::check).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.error("Checking {} failed", file, e.getCause());
            return false;
        }
    }

    private void watch() {
        String name = file.getFileName().toString();
        while (!closed) {
            WatchKey key;
            try {
                key = watchService.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            boolean ours = false;
            for (WatchEvent<?> event : key.pollEvents()) {
                // OVERFLOW means events were lost: look at the file to be safe
                ours |= event.kind() == StandardWatchEventKinds.OVERFLOW || name.equals(String.valueOf(event.context()));
            }
            key.reset();
            if (ours) {
                scheduleCheck();
            }
        }
    }

    /** Restarts the quiet period: only the last of a burst of events leads to a read. */
    private synchronized void scheduleCheck() {
        if (closed) {
            return;
        }
        if (pending != null) {
            pending.cancel(false);
        }
        try {
            pending = executor.schedule(this::checkSafely, debounce.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("Change to {} seen while closing; ignored", file);
        }
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.error("Checking {} for changes failed; keeping the current deployment", file, e);
        }
    }

    /** Watcher thread only. */
    private boolean check() {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            if (lastTried != null) {
                missing.increment();
                LOG.warn("Deployment file {} is gone; keeping deployment '{}' until it is back", file, current.name());
                lastTried = null;
            }
            return false;
        } catch (IOException e) {
            LOG.warn("Cannot read {} ({}); keeping the current deployment", file, e.toString());
            return false;
        }
        byte[] hash = sha256(content);
        if (Arrays.equals(hash, lastTried)) {
            return false;
        }
        lastTried = hash;
        if (Arrays.equals(hash, lastGood)) {
            // back to what is in force (file restored, or a bad edit undone): nothing for listeners to redo
            lastErrors.set(0);
            LOG.info("Deployment file {} is back to the content in force; nothing to reload", file);
            return false;
        }
        Deployment next;
        try {
            next = loader.read(file, content);
        } catch (ConfigException e) {
            invalid.increment();
            lastErrors.set(e.errors().size());
            LOG.error("Deployment file {} changed but has {} problem(s); keeping deployment '{}' loaded at {}:",
                    file, e.errors().size(), current.name(), java.time.Instant.ofEpochSecond((long) lastSuccessEpochSeconds));
            for (ConfigError error : e.errors()) {
                LOG.error("  {}", error);
            }
            return false;
        }
        current = next;
        lastGood = hash;
        lastErrors.set(0);
        lastSuccessEpochSeconds = System.currentTimeMillis() / 1000.0;
        ok.increment();
        LOG.info("Reloaded deployment '{}' from {}: {} sensors, {} cameras, {} rules", next.name(), file,
                next.sensors().size(), next.cameras().size(), next.rules().size());
        for (Consumer<Deployment> l : listeners) {
            try {
                l.accept(next);
            } catch (RuntimeException e) {
                LOG.error("A config listener failed on reload; the others still run", e);
            }
        }
        return true;
    }

    private byte[] readOrFail() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            // the loader turns this into a proper ConfigException with the file name
            loader.read(file);
            throw new ConfigException(List.of(new ConfigError(file.getFileName().toString(), 0, "", "cannot read: " + e)));
        }
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Stops watching; {@link #current()} keeps answering with the last good deployment. */
    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
        if (watchService != null) {
            try {
                watchService.close();
            } catch (IOException e) {
                LOG.debug("Closing the watch service of {}", file, e);
            }
        }
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
