package io.safegrid.analytics.rules;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.config.Deployment;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.reading.Period;
import io.safegrid.model.reading.Reading;
import java.util.List;

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
    private final Counter resumed;
    private final Counter resumedUnknown;

    public RuleEngine(MeterRegistry registry) {
        judged = readings(registry, "judged");
        unknownDevice = readings(registry, "unknown-device");
        metricMismatch = readings(registry, "metric-mismatch");
        notRealtime = readings(registry, "not-realtime");
        reloads = Counter.builder("safegrid.rules.reloads").register(registry);
        resumed = Counter.builder("safegrid.rules.resumed").tag("outcome", "resumed")
                .description("open alarms whose rule state was taken up again at start").register(registry);
        resumedUnknown = Counter.builder("safegrid.rules.resumed").tag("outcome", "no-such-rule")
                .description("open alarms at start whose device or rule the config no longer has").register(registry);
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

    /**
     * Takes up the conditions alerting holds open (after a restart rule state starts empty): each
     * sensor alarm whose device and rule the current config still has makes that rule active again.
     * Call before the first reading. Returns how many were taken up.
     */
    public int resume(List<Alarm> open) {
        int n = 0;
        for (Alarm a : open) {
            if (a.kind().category() != FindingKind.Category.SENSOR
                    || a.state() != AlarmState.RAISED && a.state() != AlarmState.ACKNOWLEDGED) {
                continue;
            }
            DeviceRules d = plan.devices.get(a.sourceId());
            RuleEvaluator match = null;
            if (d != null) {
                for (RuleEvaluator e : d.evaluators) {
                    if (e.def.id().equals(a.rule()) && e.kind() == a.kind()) {
                        match = e;
                    }
                }
            }
            if (match == null) {
                resumedUnknown.increment();
                continue;
            }
            d.taken();
            match.resume(a.level(), a.value(), a.threshold());
            resumed.increment();
            n++;
        }
        return n;
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
