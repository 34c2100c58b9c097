package io.safegrid.analytics.video.loss;

import io.safegrid.config.ConfigSource;
import io.safegrid.model.Level;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Subscription;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.device.Camera;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.video.StreamReport;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges the intake's stream reports ({@link Topic#STREAMS}): no picture for {@code lossAfter} is video
 * loss (ACTIVE), pictures again afterwards end it (CLEARED), and so does the camera leaving the intake
 * while lost (rather than an alarm open forever). A camera's reports come in order on one key, so its
 * loss and recovery reach alerting in order.
 */
public final class VideoLossWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VideoLossWatch.class);
    public static final String GROUP = "video-loss";
    public static final String RULE = "video-loss";

    private final ConfigSource config;
    private final Bus bus;
    private final Duration lossAfter;
    private final Set<String> lost = ConcurrentHashMap.newKeySet();
    /** Last seen config per camera id, for a camera reported gone after it left the config. */
    private final Map<String, Camera> known = new ConcurrentHashMap<>();
    private volatile Subscription subscription;

    public VideoLossWatch(ConfigSource config, Bus bus, Duration lossAfter) {
        this.config = config;
        this.bus = bus;
        this.lossAfter = lossAfter;
    }

    public VideoLossWatch start() {
        subscription = bus.subscribe(Topic.STREAMS, GROUP, (key, r) -> judge(r));
        return this;
    }

    void judge(StreamReport r) throws InterruptedException {
        Camera c = config.current().camera(r.cameraId()).orElse(known.get(r.cameraId()));
        if (c == null) {
            return;   // never configured here
        }
        if (r.gone()) {
            known.remove(c.id());
            if (lost.remove(c.id())) {
                publish(c, r, Condition.CLEARED, c.name() + ": camera removed from the configuration", 0);
            }
            return;
        }
        known.put(c.id(), c);
        double silentFor = r.silentSeconds();
        boolean silent = silentFor >= lossAfter(c);
        if (silent && lost.add(c.id())) {
            String why = r.everReceived()
                    ? String.format(Locale.ROOT, "no picture for %.0f s", silentFor)
                    : String.format(Locale.ROOT, "no picture since intake start (%.0f s)", silentFor);
            LOG.warn("camera {}: video loss, {}", c.id(), why);
            publish(c, r, Condition.ACTIVE, c.name() + ": video loss, " + why, silentFor);
        } else if (!silent && lost.remove(c.id())) {
            LOG.info("camera {}: video back", c.id());
            publish(c, r, Condition.CLEARED, c.name() + ": video back", silentFor);
        }
    }

    /** Streams: {@code lossAfter}; a snapshot camera may be quiet for its interval plus that much. */
    double lossAfter(Camera c) {
        double grace = lossAfter.toMillis() / 1000.0;
        Duration interval = c.source() == null ? null : c.source().snapshotInterval();
        return interval == null ? grace : interval.toMillis() / 1000.0 + grace;
    }

    public boolean isLost(String cameraId) { return lost.contains(cameraId); }

    private void publish(Camera c, StreamReport r, Condition condition, String message, double silentFor)
            throws InterruptedException {
        Finding f = new Finding(UUID.randomUUID().toString(), FindingKind.VIDEO_LOSS, Level.YELLOW, condition, c.id(),
                c.site(), RULE, null, silentFor, lossAfter(c), r.time(), message, null,
                Map.of("source", c.source() == null ? "?" : c.source().mode().name().toLowerCase(Locale.ROOT)));
        bus.publish(Topic.FINDINGS, c.id(), f);
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
