package io.safegrid.ingest.gb28181;

import io.safegrid.config.ConfigSource;
import io.safegrid.config.DeviceAccess;
import io.safegrid.config.Gb28181Config;
import io.safegrid.ingest.gb28181.device.GbDevice;
import io.safegrid.ingest.gb28181.live.PlaySession;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the video of every channel bound to a camera ({@code channels[].camera}) flowing into the
 * camera intake while its device is online: INVITE, and the PS bytes relayed to the node's push port
 * as that camera ({@code SAFEGRID-PUSH <camera> <token> mpeg}), so the decode pool, the analyzers and
 * video-loss findings treat it like any pushed camera. A failed stream is retried after 10 s. A channel
 * marked {@code on-demand} is relayed (and so analysed) only while someone watches its camera.
 */
final class CameraRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CameraRelay.class);
    private static final Duration RETRY = Duration.ofSeconds(10);
    private static final Duration INVITE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RTP_TIMEOUT = Duration.ofSeconds(5);

    private final Gb28181Server server;
    private final ConfigSource config;
    private final String pushHost;
    private final int pushPort;
    private final Map<String, PlaySession> running = new ConcurrentHashMap<>();
    private final Map<String, Long> nextTry = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gb28181-camera-relay");
        t.setDaemon(true);
        return t;
    });

    /** Whether someone watches a camera now (the console's live view); on-demand channels are relayed only then. */
    private volatile java.util.function.Predicate<String> watched = camera -> false;

    void watchedBy(java.util.function.Predicate<String> watching) {
        this.watched = watching;
    }

    CameraRelay(Gb28181Server server, ConfigSource config, String pushHost, int pushPort) {
        this.server = server;
        this.config = config;
        this.pushHost = pushHost;
        this.pushPort = pushPort;
    }

    CameraRelay start() {
        scheduler.scheduleWithFixedDelay(this::check, 1, 2, TimeUnit.SECONDS);
        return this;
    }

    private void check() {
        try {
            Map<String, GbDevice> devices = new java.util.HashMap<>();
            server.devices().forEach(d -> devices.put(d.id(), d));
            for (Gb28181Config.Device d : config.current().gb28181().devices()) {
                GbDevice state = devices.get(d.id());
                boolean online = state != null && state.online();
                for (Gb28181Config.Channel ch : d.channels()) {
                    if (ch.camera() != null) {
                        keep(ch, online && state.channels().stream().anyMatch(c -> c.id().equals(ch.id()))
                                && (!ch.onDemand() || watched.test(ch.camera())));
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.error("GB/T 28181 camera relay check failed", e);
        }
    }

    private void keep(Gb28181Config.Channel ch, boolean wanted) {
        PlaySession s = running.get(ch.id());
        if (s != null && (!wanted || s.failure() != null)) {
            running.remove(ch.id());
            server.stop(s);
            if (s.failure() != null) {
                nextTry.put(ch.id(), System.nanoTime() + RETRY.toNanos());
            } else {
                nextTry.remove(ch.id());   // a viewer coming back should not wait out a retry
            }
            LOG.info("channel {} (camera {}) relay stopped: {}", ch.id(), ch.camera(),
                    s.failure() != null ? s.failure() : ch.onDemand() ? "device offline or no one watching" : "device offline");
            return;
        }
        if (s != null || !wanted || System.nanoTime() < nextTry.getOrDefault(ch.id(), 0L)) {
            return;
        }
        nextTry.put(ch.id(), System.nanoTime() + RETRY.toNanos());
        Socket push = new Socket();
        try {
            push.connect(new InetSocketAddress(pushHost, pushPort), 5000);
            String token = config.current().access(ch.camera()).map(DeviceAccess::secret).orElse(null);
            OutputStream out = push.getOutputStream();
            out.write(("SAFEGRID-PUSH " + ch.camera() + " " + (token == null || token.isEmpty() ? "-" : token) + " mpeg\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new BufferedReader(new InputStreamReader(push.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            if (!"OK".equals(answer)) {
                LOG.warn("channel {}: the camera intake refused camera {}: {}", ch.id(), ch.camera(), answer);
                push.close();
                return;
            }
            PlaySession session = server.relay(ch.id(), out, INVITE_TIMEOUT, RTP_TIMEOUT);
            running.put(ch.id(), session);
            if (session.failure() == null) {
                LOG.info("channel {} relayed to camera {}", ch.id(), ch.camera());
            }
        } catch (Exception e) {
            LOG.warn("channel {}: relay to camera {} failed: {}", ch.id(), ch.camera(), e.toString());
            try {
                push.close();
            } catch (java.io.IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        running.values().forEach(server::stop);
        running.clear();
    }
}
