package io.safegrid.ingest.gb28181;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.ingest.gb28181.device.DeviceRegistry;
import io.safegrid.ingest.gb28181.device.GbDevice;

/** The GB/T 28181 server's counters ({@code safegrid_gb28181_*} in /metrics). */
public final class GbMetrics {
    private final MeterRegistry registry;
    final Counter registered;
    final Counter unregistered;
    final Counter challenged;
    final Counter keepalives;
    final Counter catalogItems;
    final Counter alarms;
    final Counter queriesUnanswered;
    final Counter charsetGuessed;

    GbMetrics(MeterRegistry registry, DeviceRegistry devices) {
        this.registry = registry;
        registered = registrations("ok");
        unregistered = registrations("unregistered");
        challenged = registrations("challenged");
        keepalives = Counter.builder("safegrid.gb28181.keepalives").description("Keepalive MESSAGEs accepted").register(registry);
        catalogItems = Counter.builder("safegrid.gb28181.catalog.items").description("catalog channels received").register(registry);
        alarms = Counter.builder("safegrid.gb28181.alarms").description("device Alarm notifications turned into findings").register(registry);
        queriesUnanswered = Counter.builder("safegrid.gb28181.queries.unanswered").description("MESSAGE queries a device never answered (SIP timeout)").register(registry);
        charsetGuessed = Counter.builder("safegrid.gb28181.charset.mismatch").description("bodies whose bytes did not match the charset they declared, read with the other one").register(registry);
        Gauge.builder("safegrid.gb28181.devices.online", devices, d -> d.devices().stream().filter(GbDevice::online).count())
                .description("configured devices online now").register(registry);
        Gauge.builder("safegrid.gb28181.devices.registered", devices, d -> d.devices().stream().filter(x -> d.isRegistered(x.id())).count())
                .description("configured devices with a valid registration").register(registry);
    }

    private Counter registrations(String result) {
        return Counter.builder("safegrid.gb28181.registrations").tag("result", result)
                .description("REGISTER requests by outcome").register(registry);
    }

    /** A refused registration: {@code wrong-password}, {@code unknown-device}, {@code throttled}, {@code bad-request}. */
    void failed(String reason) {
        Counter.builder("safegrid.gb28181.registration.failures").tag("reason", reason)
                .description("refused REGISTER requests by reason").register(registry).increment();
    }

    /** A MESSAGE that could not be used: {@code unregistered}, {@code unreadable}, {@code unsupported}. */
    void rejected(String reason) {
        Counter.builder("safegrid.gb28181.messages.rejected").tag("reason", reason)
                .description("MESSAGEs from devices that were refused or ignored").register(registry).increment();
    }
}
