package io.safegrid.console.camera;

import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Subscription;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.video.VideoFrame;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the live view needs from the bus: the latest picture of each watched camera (only the
 * latest: the frames topic already drops old ones, and a viewer wants now, not a backlog) and the
 * camera's recent findings, kept a few seconds so their boxes can be drawn on the picture.
 * Frames of cameras nobody watches are not kept.
 */
public final class LiveFrames implements AutoCloseable {
    /** A finding stays on the picture this long after it came. */
    static final Duration KEEP_DETECTIONS = Duration.ofSeconds(5);
    private static final int MAX_DETECTIONS = 16;

    private final Clock clock;
    private final Map<String, AtomicInteger> watchers = new ConcurrentHashMap<>();
    private final Map<String, VideoFrame> latest = new ConcurrentHashMap<>();
    private final Map<String, Deque<Finding>> detections = new ConcurrentHashMap<>();
    private Subscription frames;
    private Subscription findings;

    public LiveFrames(Clock clock) {
        this.clock = clock;
    }

    /** Subscribes its own groups, so the analyzers' share of the frames is not touched. */
    public LiveFrames start(Bus bus) {
        frames = bus.subscribe(Topic.FRAMES, "console-live-view", (k, f) -> frame(f));
        findings = bus.subscribe(Topic.FINDINGS, "console-live-overlay", (k, f) -> finding(f));
        return this;
    }

    /**
     * Keeps the frame (a hold of its own) in place of the camera's previous one, which it lets go. The
     * swap and {@link #latest}'s take happen under the map's lock for the camera, so a renderer never
     * gets a frame whose last hold is being let go.
     */
    void frame(VideoFrame f) {
        AtomicInteger w = watchers.get(f.cameraId());
        if (w != null && w.get() > 0) {
            f.retain();
            latest.compute(f.cameraId(), (k, old) -> {
                if (old != null) {
                    old.release();
                }
                return f;
            });
            if (viewers(f.cameraId()) == 0) {
                forget(f.cameraId());   // the last viewer left while it was put: not kept for nobody
            }
        }
    }

    void finding(Finding f) {
        if (f.details().get("box") == null && f.zone() == null) {
            return;   // nothing to draw (e.g. video loss)
        }
        Deque<Finding> d = detections.computeIfAbsent(f.sourceId(), k -> new ArrayDeque<>());
        synchronized (d) {
            d.addLast(f);
            while (d.size() > MAX_DETECTIONS) {
                d.removeFirst();
            }
        }
    }

    /** Someone starts watching; frames of the camera are kept until the last viewer goes. */
    void watch(String cameraId) {
        watchers.computeIfAbsent(cameraId, k -> new AtomicInteger()).incrementAndGet();
    }

    void unwatch(String cameraId) {
        watchers.computeIfPresent(cameraId, (k, n) -> {
            if (n.decrementAndGet() > 0) {
                return n;
            }
            forget(cameraId);
            return null;
        });
    }

    int viewers(String cameraId) {
        AtomicInteger n = watchers.get(cameraId);
        return n == null ? 0 : n.get();
    }

    /** The camera's latest frame, held for the caller, who must {@link VideoFrame#release} it; null if none. */
    VideoFrame latest(String cameraId) {
        return latest.computeIfPresent(cameraId, (k, f) -> {
            f.retain();
            return f;
        });
    }

    private void forget(String cameraId) {
        latest.computeIfPresent(cameraId, (k, f) -> {
            f.release();
            return null;
        });
    }

    /** Findings of the camera from the last few seconds, oldest first; a CLEARED one ends what it clears. */
    List<Finding> recentDetections(String cameraId) {
        Deque<Finding> d = detections.get(cameraId);
        if (d == null) {
            return List.of();
        }
        Instant since = clock.instant().minus(KEEP_DETECTIONS);
        List<Finding> out = new ArrayList<>();
        synchronized (d) {
            d.removeIf(f -> f.time().isBefore(since));
            for (Finding f : d) {
                if (f.isActive()) {
                    out.add(f);
                } else {
                    out.removeIf(a -> a.alarmKey().equals(f.alarmKey()));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (frames != null) {
            frames.close();
        }
        if (findings != null) {
            findings.close();
        }
        latest.keySet().forEach(this::forget);
    }
}
