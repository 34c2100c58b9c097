package io.safegrid.node.simulate;

import io.safegrid.config.Deployment;
import io.safegrid.config.DeviceAccess;
import io.safegrid.model.device.Protocol;
import io.safegrid.model.device.Sensor;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated field sensors: every sensor of a deployment reports every {@code periodMs} through
 * its own protocol (MQTT, HJ 212 over TCP or HTTP), following a {@link Scenario}. A send that
 * fails (node down, refused) is counted and logged once in a while, and tried again next period.
 */
public final class SensorSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SensorSimulator.class);

    private final Deployment deployment;
    private final Scenario scenario;
    private final long periodMs;
    private final Map<Protocol, ReadingSender> senders = new EnumMap<>(Protocol.class);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sensor-simulator");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private long startedAt;
    private long lastFailureLog;

    /**
     * @param host    where the node's ingest listens
     * @param ports   the node's mqtt, hj212 and ingest-http ports, in that order
     */
    public SensorSimulator(Deployment deployment, String host, int mqttPort, int hj212Port, int httpPort, long periodMs) {
        this.deployment = deployment;
        this.scenario = new Scenario(deployment, 212);
        this.periodMs = periodMs;
        senders.put(Protocol.MQTT, new MqttSender(host, mqttPort, deployment.grid(),
                deployment.sensors().stream().filter(s -> s.protocol() == Protocol.MQTT).toList()));
        senders.put(Protocol.HTTP, new HttpSender(host, httpPort));
        senders.put(Protocol.HJ212, new Hj212Sender(host, hj212Port, deployment.sensors().stream()
                .filter(s -> s.protocol() == Protocol.HJ212)
                .flatMap(s -> deployment.access(s.id()).filter(a -> a.hj212() != null).map(a -> a.hj212().mn()).stream())
                .distinct().toList()));
    }

    public SensorSimulator start() {
        startedAt = System.currentTimeMillis();
        timer.scheduleAtFixedRate(this::tick, 0, periodMs, TimeUnit.MILLISECONDS);
        LOG.info("simulating {} sensors every {} ms; first incident in {} s", deployment.sensors().size(), periodMs,
                Scenario.FIRST_INCIDENT_MS / 1000);
        return this;
    }

    private void tick() {
        long elapsed = System.currentTimeMillis() - startedAt;
        Instant now = Instant.now();
        for (Sensor s : deployment.sensors()) {
            if (!scenario.reports(s, elapsed)) {
                continue;
            }
            DeviceAccess access = deployment.access(s.id()).orElse(new DeviceAccess(s.id(), null, null));
            try {
                senders.get(s.protocol()).send(s, access, scenario.value(s, elapsed), now);
                sent.incrementAndGet();
            } catch (Exception e) {
                failed.incrementAndGet();
                if (System.currentTimeMillis() - lastFailureLog > 10_000) {
                    lastFailureLog = System.currentTimeMillis();
                    LOG.warn("simulated {} reading of {} not delivered ({} failed so far): {}", s.protocol(), s.id(),
                            failed.get(), e.toString());
                }
            }
        }
        for (ReadingSender sender : senders.values()) {
            try {
                sender.flush();
            } catch (Exception e) {
                failed.incrementAndGet();
                if (System.currentTimeMillis() - lastFailureLog > 10_000) {
                    lastFailureLog = System.currentTimeMillis();
                    LOG.warn("simulated readings not delivered: {}", e.toString());
                }
            }
        }
    }

    public long sent() { return sent.get(); }

    public long failed() { return failed.get(); }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        senders.values().forEach(ReadingSender::close);
    }
}
