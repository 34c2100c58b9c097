package io.safegrid.ingest.camera;

import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.device.Camera;
import io.safegrid.model.video.StreamReport;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Once a second, reports every camera's stream on {@link Topic#STREAMS}: how long since its last
 * picture. A camera no longer read here gets one last report saying so. Whether that is video loss
 * is judged by analytics. All reports go from this one thread, so a camera's reports stay in order.
 */
final class StreamReports {
    private final Bus bus;
    private final Clock clock;
    private final Supplier<Collection<CameraFeed>> feeds;
    /** Cameras reported last time, by id. */
    private final Map<String, Camera> reported = new HashMap<>();

    StreamReports(Bus bus, Clock clock, Supplier<Collection<CameraFeed>> feeds) {
        this.bus = bus;
        this.clock = clock;
        this.feeds = feeds;
    }

    /** One round; called every second from the intake's scheduler. */
    void report() throws InterruptedException {
        long now = System.nanoTime();
        Map<String, Camera> current = new HashMap<>();
        for (CameraFeed feed : feeds.get()) {
            Camera c = feed.camera();
            current.put(c.id(), c);
            bus.publish(Topic.STREAMS, c.id(), new StreamReport(c.id(), c.site(), clock.instant(),
                    (now - feed.lastFrameNanos()) / 1e9, feed.everReceived(), false));
        }
        for (Map.Entry<String, Camera> e : reported.entrySet()) {
            if (!current.containsKey(e.getKey())) {
                Camera c = e.getValue();
                bus.publish(Topic.STREAMS, c.id(), new StreamReport(c.id(), c.site(), clock.instant(), 0, false, true));
            }
        }
        reported.clear();
        reported.putAll(current);
    }
}
