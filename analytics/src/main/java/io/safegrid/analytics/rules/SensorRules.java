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
import io.safegrid.model.judging.Judge;
import io.safegrid.model.reading.Reading;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytics stage's sensor rules, a {@link Judge}: readings in, findings out. Two ways in:
 * <ul>
 *   <li>ingest calls {@link #judge} for each reading it takes (the node wires it so on the in-process
 *       bus): no hand-over between threads, and ingest puts the findings on {@link Topic#FINDINGS}
 *       through its own backpressure;</li>
 *   <li>{@link #judgeFromBus()}: the rules read {@link Topic#READINGS} as an urgent consumer group and
 *       publish the findings themselves (blocking: a full bus slows this consumer, never drops a
 *       finding; each wait is a refused offer the bus counts, warned about at most every 10 s). For
 *       a bus between processes, where ingest runs elsewhere.</li>
 * </ul>
 * Follows config reloads. Wiring: {@code new SensorRules(config, bus, registry).start()}, then {@code close()}.
 */
public final class SensorRules implements Judge, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SensorRules.class);
    public static final String GROUP = "analytics-rules";
    private static final long HELD_WARNING_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Locks per device hash: one device's readings are judged one call at a time, whichever thread brings them. */
    private static final int STRIPES = 64;

    private final ConfigSource config;
    private final Bus bus;
    private final RuleEngine engine;
    private final Counter raised;
    private final Counter cleared;
    private final Counter failed;
    private final Object[] stripes = new Object[STRIPES];
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
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    /** Where open alarms are read at start, to take rule state up again (see {@link OpenConditions}). */
    public SensorRules resumeFrom(OpenConditions open) {
        this.open = open;
        return this;
    }

    /** Loads the rules and takes up the open alarms' state; {@link #judge} works from then on. */
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
    }

    /**
     * Also judges what arrives on {@link Topic#READINGS}, as an urgent consumer group: for a node whose
     * ingest does not call {@link #judge} (a bus between processes). After {@link #start()}.
     */
    public synchronized void judgeFromBus() {
        // judging is on the way to an alarm: its consumer runs ahead of bulk work
        subscription = bus.subscribe(Topic.READINGS, GROUP, Urgency.URGENT, (key, reading) -> {
            for (Finding f : judge(key, List.of(reading))) {
                publish(f);
            }
        });
    }

    private void log() {
        LOG.info("sensor rules loaded: {} rule x sensor pairs, {} rejected {}", engine.evaluatorCount(),
                engine.rejected().size(), engine.rejected());
    }

    /**
     * Never waits beyond another thread judging the same device's (striped) lock, microseconds. A
     * reading the engine cannot judge (a bug, or a value ingest should have refused) is counted and
     * logged, never thrown: the next reading must still be judged.
     */
    @Override
    public List<Finding> judge(String deviceId, List<Reading> readings) {
        Collected out = new Collected();
        synchronized (stripes[Math.floorMod(deviceId.hashCode(), STRIPES)]) {
            for (Reading r : readings) {
                try {
                    engine.evaluate(r, out);
                } catch (RuntimeException | InterruptedException e) {
                    failed(r, e);
                }
            }
        }
        return out.findings == null ? List.of() : out.findings;
    }

    private void failed(Reading r, Exception e) {
        failed.increment();
        long now = System.nanoTime();
        long last = lastFailureLog.get();
        if (now - last > HELD_WARNING_EVERY_NANOS && lastFailureLog.compareAndSet(last, now)) {
            LOG.error("Cannot judge reading {} {} = {} at {} (safegrid_rules_failures_total counts each)",
                    r.deviceId(), r.metric(), r.value(), r.time(), e);
        }
    }

    /** The findings of one {@link #judge} call, counted; no list at all for the usual none. */
    private final class Collected implements FindingSink {
        List<Finding> findings;

        @Override
        public void accept(Finding f) {
            (f.isActive() ? raised : cleared).increment();
            LOG.debug("finding {} {} {} {}", f.rule(), f.sourceId(), f.condition(), f.level());
            if (findings == null) {
                findings = new ArrayList<>(2);
            }
            findings.add(f);
        }
    }

    /** On the rules' own consumer thread: waiting here holds back READINGS, and so ingest, not an event loop. */
    private void publish(Finding f) throws InterruptedException {
        if (!bus.offer(Topic.FINDINGS, f.sourceId(), f)) {
            long now = System.nanoTime();
            long last = lastHeldWarning.get();
            if (now - last > HELD_WARNING_EVERY_NANOS && lastHeldWarning.compareAndSet(last, now)) {
                LOG.warn("FINDINGS is full: alerting is behind, the rules wait until it catches up (finding {} of {};"
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
