package io.safegrid.ingest;

import io.safegrid.testing.Deployments;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.DeviceAccess;
import io.safegrid.config.DeviceClassDef;
import io.safegrid.config.Deployment;
import io.safegrid.config.RecordConfig;
import io.safegrid.config.NodeSettings;
import io.safegrid.model.device.Protocol;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.device.ValueRange;
import io.safegrid.model.grid.GridPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A small county built in code: a coal mine with MQTT/HTTP sensors and a chemical plant's HJ 212 logger. */
public final class TestDeployments {
    public static final GridPath MINE = GridPath.parse("puxian/keliqiao/village-3/coalmine-7");
    public static final GridPath PLANT = GridPath.parse("puxian/keliqiao/village-1/chem-2");
    public static final String CH4 = "ch4-wf-01";
    public static final String CH4_SECRET = "s3cret-ch4";
    public static final String CO = "co-01";
    public static final String CO_SECRET = "s3cret-co";
    /** The MN of the standard's example frame. */
    public static final String MN = "010000A8900016F000169DC0";
    public static final String PW = "100000";
    public static final String LOG_CO = "chem2-co";
    public static final String LOG_SO2 = "chem2-so2";
    public static final String LOG_FLOW = "chem2-flow";
    public static final String LOG_SB1 = "chem2-scrubber";

    private TestDeployments() {
    }

    public static NodeSettings node(int maxPayloadBytes, double ratePerDevice) {
        return new NodeSettings("test", NodeSettings.ALL_ROLES, "127.0.0.1", -1, 0, 0, 0, -1, Path.of("target"),
                maxPayloadBytes, ratePerDevice, null);
    }

    public static Deployment deployment() { return deployment(node(4096, 10_000), List.of()); }

    public static Deployment deployment(NodeSettings node, List<Sensor> extra) {
        List<Sensor> sensors = new ArrayList<>(List.of(
                sensor(CH4, MINE, "methane", "%", "coal-working-face", Protocol.MQTT),
                sensor(CO, MINE, "co", "ppm", "coal-working-face", Protocol.HTTP),
                sensor(LOG_CO, PLANT, "co", "mg/m3", "env-logger", Protocol.HJ212),
                sensor(LOG_SO2, PLANT, "so2", "mg/m3", "env-logger", Protocol.HJ212),
                sensor(LOG_FLOW, PLANT, "flow", "m3/h", "env-logger", Protocol.HJ212),
                sensor(LOG_SB1, PLANT, "facility-state", "", "env-logger", Protocol.HJ212)));
        sensors.addAll(extra);
        Map<String, DeviceAccess> access = new HashMap<>();
        access.put(CH4, new DeviceAccess(CH4, CH4_SECRET, null));
        access.put(CO, new DeviceAccess(CO, CO_SECRET, null));
        access.put(LOG_CO, new DeviceAccess(LOG_CO, "x", new DeviceAccess.Hj212Binding(MN, PW, "a21005")));
        access.put(LOG_SO2, new DeviceAccess(LOG_SO2, "x", new DeviceAccess.Hj212Binding(MN, PW, "a21026")));
        access.put(LOG_FLOW, new DeviceAccess(LOG_FLOW, "x", new DeviceAccess.Hj212Binding(MN, PW, "w00000")));
        access.put(LOG_SB1, new DeviceAccess(LOG_SB1, "x", new DeviceAccess.Hj212Binding(MN, PW, "SB1")));
        for (Sensor s : extra) {
            access.put(s.id(), new DeviceAccess(s.id(), "secret-" + s.id(), null));
        }
        return Deployments.builder().node(node)
                .deviceClass(new DeviceClassDef("coal-working-face", "methane T1", Duration.ofSeconds(30)))
                .deviceClass(new DeviceClassDef("env-logger", "HJ 212 logger", Duration.ofMinutes(10)))
                .sensors(sensors).access(access).record(historicRecord()).build();
    }

    /** The tests send readings from 2024: a record that keeps a century, so they stay inside the accepted window. */
    static RecordConfig historicRecord() {
        RecordConfig d = RecordConfig.defaults();
        return new RecordConfig(d.target(), d.url(), d.org(), d.bucket(), d.token(), d.questDbHttpPort(), d.batchLines(),
                d.spoolMaxBytes(), Duration.ofDays(36_500), d.gzip());
    }

    public static Sensor sensor(String id, GridPath site, String metric, String unit, String deviceClass, Protocol p) {
        return new Sensor(id, id, site, metric, unit, new ValueRange(-1e9, 1e9), deviceClass, p);
    }

    /** A config source whose deployment a test can replace, like a reload. */
    public static final class MutableConfig implements ConfigSource {
        private volatile Deployment current;
        private final List<Consumer<Deployment>> listeners = new CopyOnWriteArrayList<>();

        public MutableConfig(Deployment d) { this.current = d; }

        @Override
        public Deployment current() { return current; }

        @Override
        public void onChange(Consumer<Deployment> listener) { listeners.add(listener); }

        public void reload(Deployment d) {
            current = d;
            listeners.forEach(l -> l.accept(d));
        }
    }

}
