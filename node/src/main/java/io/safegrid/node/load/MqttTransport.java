package io.safegrid.node.load;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.safegrid.node.device.MqttDevices;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The fleet as {@link MqttDevices}; PUBACKs matched to their readings by packet id. */
final class MqttTransport implements LoadGenerator.Transport, MqttDevices.Listener {
    private final LoadGenerator.Options o;
    private final LoadGenerator gen;
    private final MqttDevices devices;
    private final String[] topics;
    private final Map<Integer, long[]>[] pending;

    @SuppressWarnings("unchecked")
    MqttTransport(LoadGenerator.Options o, LoadGenerator gen) {
        this.o = o;
        this.gen = gen;
        int n = o.fleet().devices();
        devices = new MqttDevices(o.host(), o.port(), n, this);
        topics = new String[n];
        pending = new Map[n];
        for (int i = 0; i < n; i++) {
            topics[i] = o.fleet().topic(i);
            pending[i] = new ConcurrentHashMap<>();
        }
    }

    @Override
    public void connect() throws Exception {
        for (int i = 0; i < topics.length; i++) {
            devices.connect(i, o.fleet().deviceId(i), o.fleet().secret());
        }
    }

    @Override
    public void acked(int device, int packetId) {
        long[] p = pending[device].remove(packetId);
        if (p != null) {
            gen.acked(p[0], (int) p[1]);
        }
    }

    @Override
    public void closed(int device) {
        int lost = pending[device].values().stream().mapToInt(p -> (int) p[1]).sum();
        pending[device].clear();
        gen.failed(lost);
    }

    @Override
    public boolean writable(int device) {
        return devices.writable(device) && pending[device].size() < 1000;
    }

    @Override
    public void send(int device, long firstSeq, int count, long sendNanos) {
        MqttQoS qos = o.qos() >= 1 ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        int id = 0;
        if (qos == MqttQoS.AT_LEAST_ONCE) {
            id = devices.nextPacketId(device);
            pending[device].put(id, new long[] {sendNanos, count});
        }
        byte[] payload = LoadGenerator.json(firstSeq, count).getBytes(StandardCharsets.UTF_8);
        devices.publish(device, topics[device], qos, id, payload);
    }

    @Override
    public void flush() {
        devices.flush();
    }

    @Override
    public void close() {
        devices.close();
    }
}
