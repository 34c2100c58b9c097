package io.safegrid.node.simulate;

import io.safegrid.config.DeviceAccess;
import io.safegrid.model.device.Sensor;
import io.safegrid.node.device.HttpDevices;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Each HTTP sensor posting its reading through {@link HttpDevices}, as a cloud gateway would. */
final class HttpSender implements ReadingSender {
    private final HttpDevices devices;

    HttpSender(String host, int port) {
        this.devices = new HttpDevices(host, port);
    }

    @Override
    public void send(Sensor sensor, DeviceAccess access, double value, Instant time) throws Exception {
        String body = String.format(Locale.ROOT, "{\"deviceId\":\"%s\",\"readings\":[{\"value\":%.4f,\"ts\":%d}]}",
                sensor.id(), value, time.toEpochMilli());
        HttpResponse<String> res = devices.post(access.secret(), body, HttpResponse.BodyHandlers.ofString())
                .get(10, TimeUnit.SECONDS);
        if (res.statusCode() / 100 != 2) {
            throw new IOException("HTTP " + res.statusCode() + ": " + res.body());
        }
    }

    @Override
    public void close() {
        // HttpClient has no close on Java 17; its threads are daemons
    }
}
