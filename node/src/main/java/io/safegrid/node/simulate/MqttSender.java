package io.safegrid.node.simulate;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.safegrid.config.DeviceAccess;
import io.safegrid.ingest.mqtt.ReadingTopic;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.grid.Grid;
import io.safegrid.model.grid.GridNode;
import io.safegrid.node.device.MqttDevices;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Each MQTT sensor as a device of {@link MqttDevices}, connected when it first reports and again
 * after the node went away; QoS 1, and {@link #send} returns once the node acknowledged.
 */
final class MqttSender implements ReadingSender, MqttDevices.Listener {
    private final Grid grid;
    private final Map<String, Integer> index = new ConcurrentHashMap<>();
    private final MqttDevices devices;
    private final Map<Integer, CompletableFuture<Void>>[] pending;

    @SuppressWarnings("unchecked")
    MqttSender(String host, int port, Grid grid, List<Sensor> sensors) {
        this.grid = grid;
        for (Sensor s : sensors) {
            index.putIfAbsent(s.id(), index.size());
        }
        this.devices = new MqttDevices(host, port, index.size(), this);
        this.pending = new Map[index.size()];
        for (int i = 0; i < pending.length; i++) {
            pending[i] = new ConcurrentHashMap<>();
        }
    }

    /** {@code safegrid/{enterprise}/{device}/readings}; see docs/protocols.md. */
    static String topic(Grid grid, Sensor s) {
        String enterprise = grid.enterpriseOf(s.site()).map(GridNode::id).orElse(s.site().id());
        return ReadingTopic.of(enterprise, s.id());
    }

    @Override
    public void send(Sensor sensor, DeviceAccess access, double value, Instant time) throws Exception {
        Integer i = index.get(sensor.id());
        if (i == null) {
            throw new IllegalArgumentException("sensor " + sensor.id() + " is not one of this simulator's MQTT sensors");
        }
        if (!devices.connected(i)) {
            devices.connect(i, sensor.id(), access.secret());
        }
        String payload = String.format(Locale.ROOT, "{\"value\":%.4f,\"ts\":%d}", value, time.toEpochMilli());
        int id = devices.nextPacketId(i);
        CompletableFuture<Void> acked = new CompletableFuture<>();
        pending[i].put(id, acked);
        devices.publish(i, topic(grid, sensor), MqttQoS.AT_LEAST_ONCE, id, payload.getBytes(StandardCharsets.UTF_8));
        devices.flush();
        try {
            acked.get(5, TimeUnit.SECONDS);
        } finally {
            pending[i].remove(id);
        }
    }

    @Override
    public void acked(int device, int packetId) {
        CompletableFuture<Void> f = pending[device].get(packetId);
        if (f != null) {
            f.complete(null);
        }
    }

    @Override
    public void closed(int device) {
        pending[device].values().forEach(f -> f.completeExceptionally(new IllegalStateException("connection closed")));
    }

    @Override
    public void close() {
        devices.close();
    }
}
