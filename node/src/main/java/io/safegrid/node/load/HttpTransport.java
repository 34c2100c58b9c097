package io.safegrid.node.load;

import io.safegrid.node.device.HttpDevices;
import java.net.http.HttpResponse;
import java.util.concurrent.Semaphore;

/** The fleet as {@link HttpDevices} posting batches, at most 256 requests in flight. */
final class HttpTransport implements LoadGenerator.Transport {
    private final LoadGenerator.Options o;
    private final LoadGenerator gen;
    private final Semaphore inFlight = new Semaphore(256);
    private final HttpDevices devices;

    HttpTransport(LoadGenerator.Options o, LoadGenerator gen) {
        this.o = o;
        this.gen = gen;
        this.devices = new HttpDevices(o.host(), o.port());
    }

    @Override
    public void connect() {
    }

    @Override
    public boolean writable(int device) { return inFlight.availablePermits() > 0; }

    @Override
    public void send(int device, long firstSeq, int count, long sendNanos) {
        inFlight.acquireUninterruptibly();
        String body = "{\"deviceId\":\"" + o.fleet().deviceId(device) + "\",\"readings\":"
                + (count == 1 ? "[" + LoadGenerator.json(firstSeq, 1) + "]" : LoadGenerator.json(firstSeq, count)) + "}";
        devices.post(o.fleet().secret(), body, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
            inFlight.release();
            if (e == null && r.statusCode() / 100 == 2) {
                gen.acked(sendNanos, count);
            } else {
                gen.failed(count);
            }
        });
    }

    @Override
    public void close() {
    }
}
