package io.safegrid.analytics.video;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.safegrid.analytics.video.detect.DetectorPool;
import io.safegrid.analytics.video.detect.Detectors;
import io.safegrid.analytics.video.objects.ObjectRules;
import io.safegrid.config.ConfigSource;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Subscription;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.device.Camera;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.text.Texts;
import io.safegrid.model.video.AnalysisRate;
import io.safegrid.model.video.VideoFrame;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytics stage for video: frames from {@link Topic#FRAMES} in, findings to
 * {@link Topic#FINDINGS} out. One {@link CameraAnalyzer} per camera, built from the camera's
 * config and rebuilt when that config changes. Frames run on the bus's consumer thread for the
 * camera's key; the bus thread only thins them to the analysis rate and puts each in its camera's
 * {@link FrameSlot} (the latest frame waiting), from where a shared pool of analysis threads, one per
 * core, analyses each camera in order. A camera that falls behind loses its own older frames
 * (counted, {@code reason=slot}), never another camera's; frames the bus drops show up as gaps in
 * {@link VideoFrame#sequence()} and are counted. Findings are published blocking: never dropped.
 * All cameras share one object detector pool (and one per vendor model), loaded from the
 * deployment's {@code video:} section when the stage is made; a changed {@code video:} section
 * takes effect at the next start.
 */
public final class VideoAnalytics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VideoAnalytics.class);
    public static final String GROUP = "video-analytics";

    private final ConfigSource config;
    private final Bus bus;
    private final MeterRegistry meters;
    private final Map<String, Pipeline> pipelines = new ConcurrentHashMap<>();
    private final Map<String, Camera> misconfigured = new ConcurrentHashMap<>();
    private final Counter unknownCamera;
    private final io.safegrid.config.VideoConfig video;
    private final DetectorPool detectors;
    private final Map<String, DetectorPool> modelPools = new ConcurrentHashMap<>();
    private final java.util.concurrent.ExecutorService analysis;
    private volatile Subscription subscription;
    private volatile boolean closed;

    public VideoAnalytics(ConfigSource config, Bus bus, MeterRegistry meters) {
        this.config = config;
        this.bus = bus;
        this.meters = meters;
        this.unknownCamera = Counter.builder("safegrid.video.frames.unknown")
                .description("frames from cameras not in the deployment").register(meters);
        this.video = config.current().video();
        boolean objects = config.current().cameras().stream().anyMatch(c -> c.analysis().analyzers().contains("people")
                || c.analysis().analyzers().contains("intrusion"));
        this.detectors = objects ? Detectors.load(video, meters) : null;
        AtomicInteger n = new AtomicInteger();
        this.analysis = java.util.concurrent.Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
            Thread t = new Thread(r, "video-analysis-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The shared detector pool, when a camera judges objects (else none was loaded). */
    public java.util.Optional<DetectorPool> detectors() { return java.util.Optional.ofNullable(detectors); }

    /** The pool cameras use: the one loaded at start, or (a camera given people or intrusion by a reload) the default. */
    private DetectorPool sharedPool() {
        return detectors != null ? detectors : Detectors.shared();
    }

    /** The shared pool of a vendor's model, loaded when the first camera asks for it. */
    private synchronized DetectorPool modelPool(String name) throws Exception {
        DetectorPool p = modelPools.get(name);
        if (p == null) {
            io.safegrid.config.VideoConfig.ModelDef m = video.model(name)
                    .orElseThrow(() -> new IllegalArgumentException("unknown model '" + name + "'"));
            p = Detectors.loadModel(m, video, meters);
            modelPools.put(name, p);
        }
        return p;
    }

    public void start() {
        CameraAnalyzer.openCvThreads(config.current().node().threads().opencvThreads());
        config.onChange(d -> pipelines.keySet().forEach(id -> {
            Pipeline p = pipelines.get(id);
            if (p != null && !d.camera(id).map(p.camera::equals).orElse(false)) {
                p.stale = true;   // rebuilt on its own thread at the next frame
            }
        }));
        subscription = bus.subscribe(Topic.FRAMES, GROUP, this::onFrame);
        LOG.info("video analytics started for {} camera(s)", config.current().cameras().size());
    }

    private void onFrame(String key, VideoFrame frame) throws InterruptedException {
        if (closed) {
            return;
        }
        Camera camera = config.current().camera(frame.cameraId()).orElse(null);
        if (camera == null) {
            unknownCamera.increment();
            return;
        }
        Camera bad = misconfigured.get(camera.id());
        if (bad != null) {
            if (bad.equals(camera)) {
                return;   // said so once; waits for a config change
            }
            misconfigured.remove(camera.id());
        }
        Pipeline p = pipelines.get(camera.id());
        if (p == null || p.stale || p.width != frame.width() || p.height != frame.height()) {
            if (p != null) {
                p.close();
            }
            try {
                p = new Pipeline(camera, frame.width(), frame.height());
            } catch (Exception e) {
                // e.g. an unknown analyzer name or no analysis settings: one clear error, not one per frame
                misconfigured.put(camera.id(), camera);
                pipelines.remove(camera.id());
                Counter.builder("safegrid.video.analysis.errors").tag("camera", camera.id()).register(meters).increment();
                LOG.error("camera {}: cannot analyse: {}", camera.id(), e.getMessage());
                return;
            }
            pipelines.put(camera.id(), p);
        }
        p.accept(frame);
    }

    /** Per camera: its analyzer, rate limit and meters. Used by one bus thread at a time. */
    private final class Pipeline {
        final Camera camera;
        final int width;
        final int height;
        final CameraAnalyzer analyzer;
        final Counter analysed;
        final Counter droppedBus;
        final Counter droppedRate;
        final Counter droppedSlot;
        final FrameSlot<VideoFrame> slot;
        final Counter errors;
        final Counter findings;
        final Timer latency;
        final Timer age;
        volatile boolean stale;
        /** Function counters reading this pipeline's object stage: removed with it, so a rebuilt one is read instead. */
        private final List<io.micrometer.core.instrument.Meter> runs = new java.util.ArrayList<>();
        long lastSequence = -1;
        final AnalysisRate rate;

        Pipeline(Camera camera, int width, int height) throws Exception {
            this.camera = camera;
            this.width = width;
            this.height = height;
            ObjectStage.Params stage = ObjectStage.Params.of(video);
            List<FrameAnalyzer> models = new java.util.ArrayList<>();
            for (String m : camera.analysis().models()) {
                models.add(new ObjectRules(m, modelPool(m), video.model(m).orElseThrow().raise(), camera.zones(),
                        stage.withScoring(io.safegrid.analytics.video.track.Scoring.NONE)));
            }
            boolean objects = camera.analysis().analyzers().contains("people") || camera.analysis().analyzers().contains("intrusion");
            this.analyzer = new CameraAnalyzer(camera.zones(), camera.analysis().analyzers(), objects ? sharedPool() : null,
                    stage, models, video.workWidth());
            this.rate = new AnalysisRate(camera.analysis().fps());
            String id = camera.id();
            analysed = Counter.builder("safegrid.video.frames.analysed").tag("camera", id).register(meters);
            droppedBus = Counter.builder("safegrid.video.frames.dropped").tag("camera", id).tag("reason", "bus")
                    .description("frames the bus dropped because analysis fell behind").register(meters);
            droppedRate = Counter.builder("safegrid.video.frames.dropped").tag("camera", id).tag("reason", "rate")
                    .description("frames above the camera's analysis fps").register(meters);
            droppedSlot = Counter.builder("safegrid.video.frames.dropped").tag("camera", id).tag("reason", "slot")
                    .description("frames replaced by a newer one of the same camera before analysis took them").register(meters);
            slot = new FrameSlot<>(analysis, f -> {
                try {
                    analyse(f);
                } finally {
                    f.release();
                }
            });
            errors = Counter.builder("safegrid.video.analysis.errors").tag("camera", id).register(meters);
            findings = Counter.builder("safegrid.video.findings").tag("camera", id).register(meters);
            latency = Timer.builder("safegrid.video.analysis.latency").tag("camera", id)
                    .description("time to analyse one frame").register(meters);
            age = Timer.builder("safegrid.video.frame.age").tag("camera", id)
                    .description("from the intake publishing a frame to its analysis done, bus queueing included")
                    .register(meters);
            analyzer.objects().ifPresent(o -> {
                // what the detector is asked for, by kind: where a node's detector time goes
                runs.add(FunctionCounter.builder("safegrid.video.detector.runs", o, ObjectStage::wholeRuns).tag("camera", id)
                        .tag("kind", "whole").description("detector passes of this camera, by kind").register(meters));
                runs.add(FunctionCounter.builder("safegrid.video.detector.runs", o, ObjectStage::cropRuns).tag("camera", id)
                        .tag("kind", "crop").description("detector passes of this camera, by kind").register(meters));
                runs.add(FunctionCounter.builder("safegrid.video.detector.runs", o, ObjectStage::closerLooks).tag("camera", id)
                        .tag("kind", "closer").description("detector passes of this camera, by kind").register(meters));
            });
            LOG.info("camera {}: analysing {}x{} at {} fps with {}", id, width, height, camera.analysis().fps(),
                    camera.analysis().analyzers());
        }

        /** On the bus thread: counts gaps, thins to the analysis rate, and leaves the frame in the camera's slot. */
        void accept(VideoFrame frame) {
            if (stale) {
                return;
            }
            if (lastSequence >= 0 && frame.sequence() > lastSequence + 1) {
                droppedBus.increment(frame.sequence() - lastSequence - 1);
            }
            if (frame.sequence() < lastSequence) {
                rate.restart();   // the stream restarted
            }
            lastSequence = frame.sequence();
            if (!rate.take(frame.streamTime())) {
                droppedRate.increment();
                return;
            }
            frame.retain();   // the slot keeps it past this call; analysis or a newer frame lets it go
            VideoFrame replaced = slot.offer(frame);
            if (replaced != null) {
                droppedSlot.increment();
                replaced.release();
            }
        }

        /** On an analysis thread, one frame of this camera at a time. */
        synchronized void analyse(VideoFrame frame) {
            if (stale) {
                return;
            }
            List<Detection> detections;
            long t0 = System.nanoTime();
            // the frame's own pixels, read in place (the decoder's copy is the only one); the evidence
            // below is drawn from them too, so the view lives until the findings are out
            try (Mat pixels = io.safegrid.picture.Pictures.view(frame)) {
                boolean i420 = frame.format() == VideoFrame.Format.I420;
                try {
                    detections = i420 ? analyzer.analyzeI420(pixels, frame.width(), frame.height(), frame.streamTime())
                            : analyzer.analyze(pixels, frame.streamTime());
                } catch (RuntimeException e) {
                    errors.increment();
                    LOG.warn("camera {}: analysis failed on frame {}: {}", camera.id(), frame.sequence(), e.toString());
                    return;
                }
                latency.record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
                age.record(java.time.Duration.between(frame.time(), java.time.Instant.now()));
                analysed.increment();
                for (Detection d : detections) {
                    Finding f = toFinding(camera, frame, d, analyzer.snapshot(d));
                    LOG.info("camera {}: {} {} {} — {}", camera.id(), d.kind(), d.condition(),
                            d.zone() == null ? "" : d.zone().name(), d.message());
                    try {
                        bus.publish(Topic.FINDINGS, camera.id(), f);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;   // the stage is closing
                    }
                    findings.increment();
                }
            }
        }

        synchronized void close() {
            stale = true;
            runs.forEach(meters::remove);
            analyzer.close();
            VideoFrame left = slot.clear();
            if (left != null) {
                left.release();
            }
        }
    }

    /** A detection as the rest of SafeGrid sees it. */
    public static Finding toFinding(Camera camera, VideoFrame frame, Detection d, byte[] snapshot) {
        Map<String, String> details = new HashMap<>();
        details.put("streamTime", String.format(Locale.ROOT, "%.2f", d.time()));
        details.put("frame", Long.toString(frame.sequence()));
        if (d.box() != null) {
            Box b = d.box();
            details.put("box", b.x() + "," + b.y() + "," + b.width() + "," + b.height());
            details.put("resolution", frame.width() + "x" + frame.height());
        }
        // what it says: the detection's key inside "camera: …", so each reader gets one language
        Map<String, String> args = new HashMap<>(d.messageArgs());
        args.put("camera", camera.name() == null ? camera.id() : camera.name());
        if (d.messageKey() == null) {
            args.put("kind", "@kind." + d.kind().name());
            if (d.zone() != null) {
                args.put("zone", d.zone().name());
            }
        }
        args.put("what", "@" + (d.messageKey() != null ? d.messageKey()
                : "finding.default" + (d.zone() == null ? "" : ".zone") + (d.isActive() ? "" : ".cleared")));
        return new Finding(UUID.randomUUID().toString(), d.kind(), d.level(), d.condition(), camera.id(), camera.site(),
                ruleOf(d), d.zone() == null ? null : d.zone().name(), d.value(), d.threshold(), frame.time(),
                Texts.bilingual("video.finding", args), snapshot, details, "video.finding", args);
    }

    /** The rule name alerting keys alarms by, e.g. {@code video-tamper-covered}. */
    public static String ruleOf(Detection d) {
        return "video-" + d.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public void close() {
        closed = true;
        if (subscription != null) {
            subscription.close();
        }
        analysis.shutdown();
        try {
            // a frame being analysed finishes (its findings are published) before the analyzers close
            if (!analysis.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
                analysis.shutdownNow();
            }
        } catch (InterruptedException e) {
            analysis.shutdownNow();
            Thread.currentThread().interrupt();
        }
        pipelines.values().forEach(Pipeline::close);
        pipelines.clear();
        modelPools.values().forEach(DetectorPool::close);
        if (detectors != null) {
            detectors.close();
        }
    }
}
