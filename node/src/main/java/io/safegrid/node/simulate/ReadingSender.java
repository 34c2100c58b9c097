package io.safegrid.node.simulate;

import io.safegrid.config.DeviceAccess;
import io.safegrid.model.device.Sensor;
import java.time.Instant;

/** Sends one simulated reading the way a field device would, over a real protocol. */
interface ReadingSender extends AutoCloseable {
    void send(Sensor sensor, DeviceAccess access, double value, Instant time) throws Exception;

    /** Sends what {@link #send} collected, for protocols that carry many sensors in one message. */
    default void flush() throws Exception {
    }

    @Override
    void close();
}
