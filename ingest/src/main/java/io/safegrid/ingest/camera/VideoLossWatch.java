package io.safegrid.ingest.camera;

import io.safegrid.model.Level;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.device.Camera;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once a second, looks at every camera's last picture: none for {@code lossAfter} is video loss
 * (ACTIVE), pictures again afterwards end it (CLEARED). Both are published from this one thread,
 * so a camera's loss and recovery reach alerting in order.
 */
final class VideoLossWatch {
    private static final Logger LOG = LoggerFactory.getLogger(VideoLossWatch.class);
    static final String RULE = "video-loss";

    private final Bus bus;
    private final Clock clock;
    private final Duration lossAfter;
    private final Supplier<Collection<CameraFeed>> feeds;
    private final Set<String> lost = new HashSet<>();
    private final Map<String, Camera> known = new java.util.HashMap<>();   // last seen config per camera id

    VideoLossWatch(Bus bus, Clock clock, Duration lossAfter, Supplier<Collection<CameraFeed>> feeds) {
        this.bus = bus;
        this.clock = clock;
        this.lossAfter = lossAfter;
        this.feeds = feeds;
    }

    /** One look; called every second from the intake's scheduler. */
    void check() throws InterruptedException {
        long now = System.nanoTime();
        Collection<CameraFeed> all = feeds.get();
        for (String id : Set.copyOf(lost)) {
            Camera gone = known.get(id);
            if (all.stream().noneMatch(f -> f.camera().id().equals(id)) && gone != null) {
                // taken out of the config while lost: end the alarm rather than leave it open forever
                lost.remove(id);
                known.remove(id);
                publish(gone, Condition.CLEARED, gone.name() + ": camera removed from the configuration", 0);
            }
        }
        for (CameraFeed feed : all) {
            known.put(feed.camera().id(), feed.camera());
            Camera c = feed.camera();
            double silentFor = (now - feed.lastFrameNanos()) / 1e9;
            boolean silent = silentFor >= lossAfter(c);
            if (silent && lost.add(c.id())) {
                String why = feed.everReceived()
                        ? String.format(java.util.Locale.ROOT, "no picture for %.0f s", silentFor)
                        : String.format(java.util.Locale.ROOT, "no picture since intake start (%.0f s)", silentFor);
                LOG.warn("camera {}: video loss, {}", c.id(), why);
                publish(c, Condition.ACTIVE, c.name() + ": video loss, " + why, silentFor);
            } else if (!silent && lost.remove(c.id())) {
                LOG.info("camera {}: video back", c.id());
                publish(c, Condition.CLEARED, c.name() + ": video back", silentFor);
            }
        }
    }

    /** Streams: {@code lossAfter}; a snapshot camera may be quiet for its interval plus that much. */
    double lossAfter(Camera c) {
        double grace = lossAfter.toMillis() / 1000.0;
        Duration interval = c.source() == null ? null : c.source().snapshotInterval();
        return interval == null ? grace : interval.toMillis() / 1000.0 + grace;
    }

    boolean isLost(String cameraId) { return lost.contains(cameraId); }

    private void publish(Camera c, Condition condition, String message, double silentFor) throws InterruptedException {
        Finding f = new Finding(UUID.randomUUID().toString(), FindingKind.VIDEO_LOSS, Level.YELLOW, condition, c.id(),
                c.site(), RULE, null, silentFor, lossAfter(c), clock.instant(), message, null,
                Map.of("source", c.source() == null ? "?" : c.source().mode().name().toLowerCase(java.util.Locale.ROOT)));
        bus.publish(Topic.FINDINGS, c.id(), f);
    }
}
