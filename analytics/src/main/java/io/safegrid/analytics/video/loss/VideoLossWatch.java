package io.safegrid.analytics.video.loss;

import io.safegrid.config.ConfigSource;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.OpenConditions;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Subscription;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.device.Camera;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.video.StreamReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges the intake's stream reports ({@link Topic#STREAMS}): no picture for {@code lossAfter} is video
 * loss (ACTIVE), pictures again afterwards end it (CLEARED), and so does the camera leaving the intake
 * while lost (rather than an alarm open forever). A camera's reports come in order on one key, so its
 * loss and recovery reach alerting in order.
 *
 * <p>What it judged lives in memory. A watch that has not judged a camera (it just started, or the
 * camera's reports went to another watch for a while, as after a rebalance) may meet a loss judged
 * before it that alerting still holds open, so at the camera's first picture it ends the loss that
 * {@link #resumeFrom alerting beside it} holds open, or, {@link #alarmsElsewhere where alerting runs on
 * another node}, one that may be open there (alerting drops a CLEARED without an open alarm). Silence
 * is judged as ever: a loss still open meets its repeat, which alerting adds to the open alarm.
 */
public final class VideoLossWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VideoLossWatch.class);
    public static final String GROUP = "video-loss";
    public static final String RULE = "video-loss";
    /**
     * The intake reports each camera every second: a longer gap means reports this watch did not see, so
     * its "not lost" may be stale (its "lost" is kept: stale, it at worst ends a loss a second time).
     */
    static final Duration MISSED = Duration.ofSeconds(3);

    private final ConfigSource config;
    private final Bus bus;
    private final Duration lossAfter;
    /** Per camera id: what this watch judged last, and the time of the report it judged it on. */
    private final Map<String, Judged> judged = new ConcurrentHashMap<>();
    /** Last seen config per camera id, for a camera reported gone after it left the config. */
    private final Map<String, Camera> known = new ConcurrentHashMap<>();
    /** Asked about a camera not judged here; null where alerting runs on another node. */
    private volatile OpenConditions open = OpenConditions.none();
    private volatile Subscription subscription;

    private record Judged(boolean lost, Instant at) {
    }

    public VideoLossWatch(ConfigSource config, Bus bus, Duration lossAfter) {
        this.config = config;
        this.bus = bus;
        this.lossAfter = lossAfter;
    }

    /** Alerting beside this watch, asked whether a camera not judged here has its loss open. Before {@link #start()}. */
    public VideoLossWatch resumeFrom(OpenConditions open) {
        this.open = open;
        return this;
    }

    /** For a node without alerting: a camera not judged here ends, at its first picture, a loss judged elsewhere. */
    public VideoLossWatch alarmsElsewhere() {
        this.open = null;
        return this;
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
        Judged before = judged.get(c.id());
        if (before != null && !before.lost() && Duration.between(before.at(), r.time()).compareTo(MISSED) > 0) {
            before = null;   // another watch had its reports meanwhile and may have judged a loss there
        }
        if (r.gone()) {
            known.remove(c.id());
            judged.remove(c.id());
            if (before == null ? mayBeOpen(c) : before.lost()) {
                publish(c, r, Condition.CLEARED, c.name() + ": camera removed from the configuration", 0);
            }
            return;
        }
        known.put(c.id(), c);
        double silentFor = r.silentSeconds();
        boolean silent = silentFor >= lossAfter(c);
        // a short quiet with no picture yet is a freshly started intake: no news of the camera
        boolean pictures = !silent && r.everReceived();
        if (silent || pictures) {
            judged.put(c.id(), new Judged(silent, r.time()));
        } else if (before != null) {
            judged.put(c.id(), new Judged(before.lost(), r.time()));
        }
        if (silent && (before == null || !before.lost())) {
            String why = r.everReceived()
                    ? String.format(Locale.ROOT, "no picture for %.0f s", silentFor)
                    : String.format(Locale.ROOT, "no picture since intake start (%.0f s)", silentFor);
            LOG.warn("camera {}: video loss, {}", c.id(), why);
            publish(c, r, Condition.ACTIVE, c.name() + ": video loss, " + why, silentFor);
        } else if (pictures && (before == null ? mayBeOpen(c) : before.lost())) {
            LOG.info(before == null ? "camera {}: video back (ending a loss judged before this watch had it)"
                    : "camera {}: video back", c.id());
            publish(c, r, Condition.CLEARED, c.name() + ": video back", silentFor);
        }
    }

    /** For a camera not judged here: whether alerting holds its video loss open; true where that cannot be asked. */
    private boolean mayBeOpen(Camera c) {
        OpenConditions o = open;
        if (o == null) {
            return true;
        }
        try {
            return o.active().stream().anyMatch(a -> a.kind() == FindingKind.VIDEO_LOSS && RULE.equals(a.rule())
                    && c.id().equals(a.sourceId()));
        } catch (RuntimeException e) {
            LOG.warn("camera {}: cannot read the open alarms, ending a video loss that may be open: {}", c.id(), e.toString());
            return true;
        }
    }

    /** Streams: {@code lossAfter}; a snapshot camera may be quiet for its interval plus that much. */
    double lossAfter(Camera c) {
        double grace = lossAfter.toMillis() / 1000.0;
        Duration interval = c.source() == null ? null : c.source().snapshotInterval();
        return interval == null ? grace : interval.toMillis() / 1000.0 + grace;
    }

    public boolean isLost(String cameraId) {
        Judged j = judged.get(cameraId);
        return j != null && j.lost();
    }

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
