package io.safegrid.analytics.rules;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.OpenConditions;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Subscription;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.bus.Urgency;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.reading.Reading;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytics stage's sensor rules: readings from {@link Topic#READINGS} in, findings on
 * {@link Topic#FINDINGS} out (blocking publish: a full bus slows us down, never drops a finding; each
 * wait is a refused offer the bus counts, and warned about at most every 10 s).
 * Follows config reloads. Wiring: {@code new SensorRules(config, bus, registry).start()}, then {@code close()}.
 */
public final class SensorRules implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SensorRules.class);
    public static final String GROUP = "analytics-rules";
    private static final long HELD_WARNING_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ConfigSource config;
    private final Bus bus;
    private final RuleEngine engine;
    private final Counter raised;
    private final Counter cleared;
    private final Counter failed;
    private final AtomicLong lastFailureLog = new AtomicLong(System.nanoTime() - HELD_WARNING_EVERY_NANOS - 1);
    private final AtomicLong lastHeldWarning = new AtomicLong(System.nanoTime() - HELD_WARNING_EVERY_NANOS - 1);
    private volatile boolean closed;
    private OpenConditions open = OpenConditions.none();
    private Subscription subscription;

    public SensorRules(ConfigSource config, Bus bus, MeterRegistry registry) {
        this.config = config;
        this.bus = bus;
        this.engine = new RuleEngine(registry);
        this.raised = Counter.builder("safegrid.rules.findings").tag("condition", "active").register(registry);
        this.cleared = Counter.builder("safegrid.rules.findings").tag("condition", "cleared").register(registry);
        this.failed = Counter.builder("safegrid.rules.failures").description("Readings the rules could not judge")
                .register(registry);
    }

    /** Where open alarms are read at start, to take rule state up again (see {@link OpenConditions}). */
    public SensorRules resumeFrom(OpenConditions open) {
        this.open = open;
        return this;
    }

    public synchronized void start() {
        engine.reload(config.current());
        log();
        try {
            List<Alarm> active = open.active();
            int n = engine.resume(active);
            if (!active.isEmpty()) {
                LOG.info("rule state taken up from {} open alarm(s): {} sensor rule(s) active again", active.size(), n);
            }
        } catch (RuntimeException e) {
            LOG.error("could not read the open alarms; rule state starts empty (an alarm open from before clears only"
                    + " when its condition is raised and ends again)", e);
        }
        config.onChange(d -> {
            if (!closed) {
                engine.reload(d);
                log();
            }
        });
        // judging is on the way to an alarm and takes microseconds: on the in-process bus it runs as part of
        // ingest's publish, with no hand-over; on Kafka its consumer runs ahead of bulk work
        subscription = bus.subscribe(Topic.READINGS, GROUP, Urgency.IMMEDIATE, (key, reading) -> onReading(reading));
    }

    private void log() {
        LOG.info("sensor rules loaded: {} rule x sensor pairs, {} rejected {}", engine.evaluatorCount(),
                engine.rejected().size(), engine.rejected());
    }

    /**
     * A reading the engine cannot judge (a bug, or a value ingest should have refused) is counted and
     * logged, never thrown: on the in-process bus this runs on an ingest event loop, and the next
     * reading must still be judged.
     */
    private void onReading(Reading r) throws InterruptedException {
        try {
            engine.evaluate(r, this::publish);
        } catch (RuntimeException e) {
            failed.increment();
            long now = System.nanoTime();
            long last = lastFailureLog.get();
            if (now - last > HELD_WARNING_EVERY_NANOS && lastFailureLog.compareAndSet(last, now)) {
                LOG.error("Cannot judge reading {} {} = {} at {} (safegrid_rules_failures_total counts each)",
                        r.deviceId(), r.metric(), r.value(), r.time(), e);
            }
        }
    }

    private void publish(Finding f) throws InterruptedException {
        (f.isActive() ? raised : cleared).increment();
        LOG.debug("finding {} {} {} {}", f.rule(), f.sourceId(), f.condition(), f.level());
        if (!bus.offer(Topic.FINDINGS, f.sourceId(), f)) {
            // judged on ingest's thread: waiting here holds that ingest thread, and its connections, back
            // (the bus counts the refused offer: safegrid_bus_refused_total{topic="findings"})
            long now = System.nanoTime();
            long last = lastHeldWarning.get();
            if (now - last > HELD_WARNING_EVERY_NANOS && lastHeldWarning.compareAndSet(last, now)) {
                LOG.warn("FINDINGS is full: alerting is behind, ingest waits until it catches up (finding {} of {};"
                        + " safegrid_bus_refused_total{topic=\"findings\"} counts each)", f.rule(), f.sourceId());
            }
            bus.publish(Topic.FINDINGS, f.sourceId(), f);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
    }
}
