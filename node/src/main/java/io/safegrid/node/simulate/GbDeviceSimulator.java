package io.safegrid.node.simulate;

import io.safegrid.config.Gb28181Config;
import io.safegrid.ingest.gb28181.sim.SimulatedDevice;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment's GB/T 28181 devices, simulated: each registers over UDP with its configured password,
 * sends keepalives at its interval and answers Catalog with its configured channels, in GB2312 as a
 * 2016-edition NVR does. A device that cannot register (node not up yet) tries again every 10 s.
 */
final class GbDeviceSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GbDeviceSimulator.class);
    private static final Duration EXPIRES = Duration.ofHours(1);

    private final List<SimulatedDevice> devices = new ArrayList<>();
    private final List<Thread> starters = new ArrayList<>();
    private volatile boolean running = true;

    GbDeviceSimulator(Gb28181Config config, String host, int port) {
        for (Gb28181Config.Device d : config.devices()) {
            Thread t = new Thread(() -> run(config, d, host, port), "gb28181-sim-" + d.id());
            t.setDaemon(true);
            starters.add(t);
        }
    }

    GbDeviceSimulator start() {
        starters.forEach(Thread::start);
        return this;
    }

    private void run(Gb28181Config config, Gb28181Config.Device d, String host, int port) {
        List<SimulatedDevice.Channel> channels = d.channels().stream()
                .map(c -> new SimulatedDevice.Channel(c.id(), c.name())).toList();
        try {
            SimulatedDevice device = new SimulatedDevice(d.id(), d.password(), config.serverId(), host, port, "UDP",
                    channels, Charset.forName("GB2312"));
            synchronized (devices) {
                if (!running) {
                    device.close();
                    return;
                }
                devices.add(device);
            }
            while (running) {
                try {
                    int status = device.register(EXPIRES);
                    if (status == 200) {
                        LOG.info("simulated GB/T 28181 device {} ({}) registered", d.id(), d.name());
                        device.startKeepalives(config.keepaliveOf(d));
                        return;
                    }
                    LOG.warn("simulated GB/T 28181 device {} refused: {}", d.id(), status);
                } catch (Exception e) {
                    LOG.info("simulated GB/T 28181 device {} could not register yet: {}", d.id(), e.toString());
                }
                Thread.sleep(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("simulated GB/T 28181 device {} failed to start", d.id(), e);
        }
    }

    int size() { return starters.size(); }

    @Override
    public void close() {
        running = false;
        starters.forEach(Thread::interrupt);
        synchronized (devices) {
            devices.forEach(SimulatedDevice::close);
            devices.clear();
        }
    }
}
