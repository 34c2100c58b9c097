package io.safegrid.analytics.rules;

import io.safegrid.model.finding.Finding;
import io.safegrid.model.reading.DataFlag;
import java.util.HashMap;
import java.util.Map;

/**
 * All rules of one sensor under one config. After a reload the new instance takes over its
 * predecessor's state on its first reading, on the device's own thread, so no state is shared
 * between threads and nothing is re-raised.
 */
final class DeviceRules {
    final SensorInfo sensor;
    final RuleEvaluator[] evaluators;
    final SiteSignal[] feeds;
    // volatile: a reload on the config thread reads them to find whose state to take over
    private volatile DeviceRules predecessor;
    private volatile boolean used;

    DeviceRules(SensorInfo sensor, RuleEvaluator[] evaluators, SiteSignal[] feeds, DeviceRules previous) {
        this.sensor = sensor;
        this.evaluators = evaluators;
        this.feeds = feeds;
        // skip over configs this device never saw a reading under: their state is still the older one's
        DeviceRules p = previous;
        while (p != null && !p.used) {
            p = p.predecessor;
        }
        this.predecessor = p;
    }

    /** State was taken up from open alarms: it is this instance's own now (a reload before the first reading keeps it). */
    void taken() {
        used = true;
        predecessor = null;
    }

    void evaluate(double v, DataFlag flag, long t, FindingSink sink) throws InterruptedException {
        if (!used) {
            takeOver(t, sink);
        }
        if (flag.isValid()) {
            for (SiteSignal s : feeds) {
                s.value = v;
            }
        }
        for (RuleEvaluator e : evaluators) {
            Finding f = e.evaluate(v, flag, t);
            if (f != null) {
                sink.accept(f);
            }
        }
    }

    private void takeOver(long t, FindingSink sink) throws InterruptedException {
        used = true;
        DeviceRules p = predecessor;
        predecessor = null;
        if (p == null) {
            return;
        }
        Map<String, RuleEvaluator> old = new HashMap<>();
        for (RuleEvaluator e : p.evaluators) {
            old.put(e.def.id(), e);
        }
        for (RuleEvaluator e : evaluators) {
            RuleEvaluator before = old.get(e.def.id());
            if (before != null && before.getClass() == e.getClass()) {
                e.inherit(before);
                old.remove(e.def.id());
            }
        }
        for (RuleEvaluator gone : old.values()) {
            Finding f = gone.retire(t);
            if (f != null) {
                sink.accept(f);
            }
        }
    }
}
