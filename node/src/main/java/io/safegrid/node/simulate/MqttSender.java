package io.safegrid.node.simulate;

import io.safegrid.config.DeviceAccess;
import io.safegrid.ingest.mqtt.ReadingTopic;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.grid.Grid;
import io.safegrid.model.grid.GridNode;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** One Paho connection per device, as a field gateway would keep; QoS 1 so the node acknowledges. */
final class MqttSender implements ReadingSender {
    private final String uri;
    private final Grid grid;
    private final Map<String, MqttClient> clients = new ConcurrentHashMap<>();

    MqttSender(String host, int port, Grid grid) {
        this.uri = "tcp://" + host + ":" + port;
        this.grid = grid;
    }

    /** {@code safegrid/{enterprise}/{device}/readings}; see docs/protocols.md. */
    static String topic(Grid grid, Sensor s) {
        String enterprise = grid.enterpriseOf(s.site()).map(GridNode::id).orElse(s.site().id());
        return ReadingTopic.of(enterprise, s.id());
    }

    @Override
    public void send(Sensor sensor, DeviceAccess access, double value, Instant time) throws MqttException {
        MqttClient c = clients.get(sensor.id());
        if (c == null || !c.isConnected()) {
            c = connect(sensor, access);
        }
        String payload = String.format(Locale.ROOT, "{\"value\":%.4f,\"ts\":%d}", value, time.toEpochMilli());
        c.publish(topic(grid, sensor), payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), 1, false);
    }

    private MqttClient connect(Sensor sensor, DeviceAccess access) throws MqttException {
        MqttClient old = clients.remove(sensor.id());
        if (old != null) {
            try {
                old.close(true);
            } catch (MqttException ignored) {
                // a dead client is replaced either way
            }
        }
        MqttClient c = new MqttClient(uri, sensor.id(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(sensor.id());
        o.setPassword(access.secret() == null ? new char[0] : access.secret().toCharArray());
        o.setCleanSession(true);
        o.setKeepAliveInterval(30);
        o.setConnectionTimeout(5);
        c.connect(o);
        clients.put(sensor.id(), c);
        return c;
    }

    @Override
    public void close() {
        for (MqttClient c : clients.values()) {
            try {
                if (c.isConnected()) {
                    c.disconnect(1000);
                }
                c.close(true);
            } catch (MqttException ignored) {
                // closing anyway
            }
        }
        clients.clear();
    }
}
