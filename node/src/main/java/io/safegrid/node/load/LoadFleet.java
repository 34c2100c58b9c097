package io.safegrid.node.load;

import io.safegrid.config.DeviceAccess;
import io.safegrid.model.device.Protocol;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.device.ValueRange;
import io.safegrid.ingest.mqtt.ReadingTopic;
import io.safegrid.model.grid.GridPath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated devices a load run speaks as: {@code {prefix}0001 …}, all at one enterprise, all
 * with the same secret; as HJ 212 loggers each has its own MN ({@code mnPrefix} + number, 24
 * characters) with one factor. A target node must have these devices in its config;
 * {@link #sensors()} and {@link #access()} give the entries to put there.
 */
public record LoadFleet(int devices, String prefix, String enterprise, String secret, String mnPrefix, String password,
                        String factor) {

    public static LoadFleet of(int devices) {
        return new LoadFleet(devices, "load-", "load-ent", "load-secret", "LOAD", "123456", "a21005");
    }

    public String deviceId(int i) {
        int n = i + 1;
        if (n < 0) {
            return prefix + String.format("%04d", n);
        }
        String digits = Integer.toString(n);   // same as "%04d", without a Formatter per call (load senders call this often)
        return digits.length() >= 4 ? prefix + digits : prefix + "0".repeat(4 - digits.length()) + digits;
    }

    public String mn(int i) {
        String n = String.valueOf(i + 1);
        return mnPrefix + "0".repeat(Math.max(0, 24 - mnPrefix.length() - n.length())) + n;
    }

    public GridPath site() { return GridPath.of("load-county", enterprise); }

    public String topic(int i) { return ReadingTopic.of(enterprise, deviceId(i)); }

    public List<Sensor> sensors() {
        List<Sensor> out = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            out.add(new Sensor(deviceId(i), deviceId(i), site(), "load", "", new ValueRange(-1, Double.MAX_VALUE), "load",
                    Protocol.MQTT));
        }
        return out;
    }

    public Map<String, DeviceAccess> access() {
        Map<String, DeviceAccess> out = new LinkedHashMap<>();
        for (int i = 0; i < devices; i++) {
            out.put(deviceId(i), new DeviceAccess(deviceId(i), secret, new DeviceAccess.Hj212Binding(mn(i), password, factor)));
        }
        return out;
    }
}
