package io.safegrid.analytics.rules;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.config.Deployment;
import io.safegrid.model.reading.Period;
import io.safegrid.model.reading.Reading;

/**
 * The rule hot path without the bus: a reading in, zero or more findings out through a sink.
 * Readings of one device must come from one thread at a time (the bus guarantees it per key).
 * Only real-time readings are judged; minute/hour statistics would judge the same air twice.
 */
public final class RuleEngine {
    private volatile RulePlan plan = RulePlan.empty();
    private final Counter judged;
    private final Counter unknownDevice;
    private final Counter metricMismatch;
    private final Counter notRealtime;
    private final Counter reloads;

    public RuleEngine(MeterRegistry registry) {
        judged = readings(registry, "judged");
        unknownDevice = readings(registry, "unknown-device");
        metricMismatch = readings(registry, "metric-mismatch");
        notRealtime = readings(registry, "not-realtime");
        reloads = Counter.builder("safegrid.rules.reloads").register(registry);
        Gauge.builder("safegrid.rules.evaluators", this, e -> e.plan.evaluatorCount)
                .description("rule x sensor pairs being evaluated").register(registry);
        Gauge.builder("safegrid.rules.rejected", this, e -> e.plan.rejected.size())
                .description("rule x sensor pairs rejected as invalid by the last load").register(registry);
    }

    private static Counter readings(MeterRegistry registry, String outcome) {
        return Counter.builder("safegrid.rules.readings").tag("outcome", outcome).register(registry);
    }

    /** Compiles a config; devices take their state over on their next reading. */
    public synchronized void reload(Deployment deployment) {
        plan = RulePlan.build(deployment, plan);
        reloads.increment();
    }

    public void evaluate(Reading r, FindingSink sink) throws InterruptedException {
        DeviceRules d = plan.devices.get(r.deviceId());
        if (d == null) {
            unknownDevice.increment();
            return;
        }
        if (!d.sensor.metric().equals(r.metric())) {
            metricMismatch.increment();
            return;
        }
        if (r.period() != Period.REALTIME) {
            notRealtime.increment();
            return;
        }
        judged.increment();
        d.evaluate(r.value(), r.flag(), r.time().toEpochMilli(), sink);
    }

    /** How many rule x sensor pairs the current config evaluates. */
    public int evaluatorCount() { return plan.evaluatorCount; }

    /** Rule x sensor pairs the current config could not apply, with the reason. */
    public java.util.List<String> rejected() { return plan.rejected; }
}
