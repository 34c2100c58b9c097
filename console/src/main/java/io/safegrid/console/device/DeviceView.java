package io.safegrid.console.device;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Subscription;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.bus.Urgency;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.reading.Reading;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last thing heard from each device, fed by READINGS (values, last seen) and FINDINGS
 * (offline conditions from ingest, video loss from analytics). Only the latest per device and metric is
 * kept, so memory grows with the number of devices, not with traffic.
 */
public final class DeviceView implements AutoCloseable {

    /** The latest reading of one metric. */
    public record Last(double value, Instant time) {
    }

    /** What the console knows of one device. */
    public record State(Instant lastSeen, Map<String, Last> values, boolean offline, Instant offlineSince) {
    }

    private final Map<String, State> devices = new ConcurrentHashMap<>();
    private final Counter readings;
    private final Counter findings;
    private Subscription readingSub;
    private Subscription findingSub;

    public DeviceView(MeterRegistry registry) {
        this.readings = registry.counter("safegrid.console.devices.readings");
        this.findings = registry.counter("safegrid.console.devices.findings");
        registry.gaugeMapSize("safegrid.console.devices.known", java.util.List.of(), devices);
    }

    public DeviceView start(Bus bus) {
        // a screen need not see a reading within microseconds: no wake-up per reading
        readingSub = bus.subscribe(Topic.READINGS, "console-devices", Urgency.BULK, (k, r) -> reading(r));
        findingSub = bus.subscribe(Topic.FINDINGS, "console-devices", (k, f) -> finding(f));
        return this;
    }

    public void reading(Reading r) {
        readings.increment();
        devices.compute(r.deviceId(), (id, s) -> {
            Map<String, Last> values = s == null ? new ConcurrentHashMap<>() : s.values;
            Last prev = values.get(r.metric());
            if (prev == null || !r.time().isBefore(prev.time())) {
                values.put(r.metric(), new Last(r.value(), r.time()));
            }
            Instant seen = s == null || s.lastSeen == null || r.receivedAt().isAfter(s.lastSeen) ? r.receivedAt() : s.lastSeen;
            // a reading received after the offline finding means the device talks again; an older one
            // (READINGS and FINDINGS arrive on different threads) does not
            boolean back = s == null || !s.offline || s.offlineSince == null || r.receivedAt().isAfter(s.offlineSince);
            return back ? new State(seen, values, false, null) : new State(seen, values, true, s.offlineSince);
        });
    }

    public void finding(Finding f) {
        findings.increment();
        boolean offlineKind = f.kind() == FindingKind.DEVICE_OFFLINE || f.kind() == FindingKind.VIDEO_LOSS;
        devices.compute(f.sourceId(), (id, s) -> {
            State base = s == null ? new State(null, new ConcurrentHashMap<>(), false, null) : s;
            if (!offlineKind) {
                // any other finding was judged on fresh data (a reading, a frame): the device is talking
                Instant seen = base.lastSeen == null || f.time().isAfter(base.lastSeen) ? f.time() : base.lastSeen;
                return new State(seen, base.values, base.offline, base.offlineSince);
            }
            return f.isActive() ? new State(base.lastSeen, base.values, true, f.time())
                    : new State(base.lastSeen == null || f.time().isAfter(base.lastSeen) ? f.time() : base.lastSeen,
                    base.values, false, null);
        });
    }

    public Optional<State> state(String deviceId) { return Optional.ofNullable(devices.get(deviceId)); }

    @Override
    public void close() {
        if (readingSub != null) {
            readingSub.close();
        }
        if (findingSub != null) {
            findingSub.close();
        }
    }
}
