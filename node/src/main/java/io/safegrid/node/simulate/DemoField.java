package io.safegrid.node.simulate;

import io.safegrid.config.Deployment;
import io.safegrid.model.device.Camera;
import io.safegrid.model.device.CameraSource;
import io.safegrid.node.wiring.Node;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The simulated field of a deployment: its sensors and its push cameras, started and stopped together. */
public final class DemoField implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoField.class);
    private final List<AutoCloseable> parts = new ArrayList<>();

    /** Against a node in this JVM, on the ports it actually bound. */
    public static DemoField start(Node node) {
        Deployment d = node.config().current();
        var s = node.stages();
        DemoInbox inbox = DemoInbox.start(d);
        DemoField field = start(d, "127.0.0.1", s.mqttPort(), s.hj212Port(), s.ingestHttpPort(), s.videoPushPort(), true,
                true, 1000);
        field.startGb28181(d, "127.0.0.1", s.gb28181Port());
        field.parts.add(inbox);
        return field;
    }

    public static DemoField start(Deployment d, String host, int mqttPort, int hj212Port, int httpPort, int videoPort,
                                  boolean sensors, boolean cameras, long periodMs) {
        DemoField field = new DemoField();
        if (sensors && !d.sensors().isEmpty()) {
            field.parts.add(new SensorSimulator(d, host, mqttPort, hj212Port, httpPort, periodMs).start());
        }
        if (cameras && videoPort > 0) {
            for (Camera c : d.cameras()) {
                if (c.source().mode() == CameraSource.Mode.PUSH) {
                    String token = d.access(c.id()).map(a -> a.secret()).orElse(null);
                    CameraSimulator camera = new CameraSimulator(host, videoPort, c.id(), token);
                    camera.start();
                    field.parts.add(camera);
                }
            }
        }
        LOG.info("demo field started: {} sensors, {} simulated cameras", sensors ? d.sensors().size() : 0,
                field.parts.size() - (sensors && !d.sensors().isEmpty() ? 1 : 0));
        return field;
    }

    /** The deployment's GB/T 28181 devices, registering to the node's SIP port (when it has one). */
    public DemoField startGb28181(Deployment d, String host, int sipPort) {
        if (sipPort > 0 && !d.gb28181().devices().isEmpty()) {
            GbDeviceSimulator gb = new GbDeviceSimulator(d.gb28181(), host, sipPort).start();
            parts.add(gb);
            LOG.info("demo field: {} simulated GB/T 28181 device(s)", gb.size());
        }
        return this;
    }

    @Override
    public void close() {
        for (AutoCloseable p : parts) {
            try {
                p.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed", p.getClass().getSimpleName(), e);
            }
        }
    }
}
