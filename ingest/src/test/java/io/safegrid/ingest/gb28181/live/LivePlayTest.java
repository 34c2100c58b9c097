package io.safegrid.ingest.gb28181.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.DeploymentLoader;
import io.safegrid.ingest.gb28181.Gb28181Server;
import io.safegrid.ingest.gb28181.sim.SimulatedDevice;
import io.safegrid.ingest.gb28181.sip.SipStacks;
import io.safegrid.bus.inprocess.InProcessBus;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Live video from a simulated NVR: INVITE with s=Play and a y= SSRC, PS over RTP/UDP made by FFmpeg,
 * decoded by FFmpeg in the node; and each way it can fail named by its step.
 */
class LivePlayTest {
    private static final String NVR = "34020000001180000001";
    private static final String CH1 = "34020000001320000001";

    private final InProcessBus bus = new InProcessBus();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Gb28181Server server;
    private SimulatedDevice nvr;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(new File("/usr/bin/ffmpeg").canExecute(), "ffmpeg is not installed; skipping");
        int port = SipStacks.freePort("127.0.0.1");
        ConfigSource config = ConfigSource.of(new DeploymentLoader(Map.<String, String>of()::get).read("county.yaml", """
                name: 测试县
                grid: {id: xian, kind: county, children: [{id: mine, kind: enterprise, industry: coal-mine}]}
                gb28181:
                  server-id: "34020000002000000001"
                  address: 127.0.0.1
                  listen-port: %d
                  devices:
                    - {id: "%s", password: pw, grid: xian/mine}
                """.formatted(port, NVR), null));
        server = new Gb28181Server(config, bus, registry, Clock.systemUTC());
        server.start();
        nvr = new SimulatedDevice(NVR, "pw", "34020000002000000001", "127.0.0.1", port, "UDP",
                List.of(new SimulatedDevice.Channel(CH1, "井口")), StandardCharsets.UTF_8);
        assertThat(nvr.register(Duration.ofHours(1))).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> server.devices().get(0).channels().size() == 1);
    }

    @AfterEach
    void stop() {
        if (nvr != null) {
            nvr.close();
        }
        if (server != null) {
            server.close();
        }
        bus.close();
    }

    @Test
    void aChannelsPsOverRtpIsDecodedAndByeEndsIt() throws Exception {
        AtomicInteger pictures = new AtomicInteger();
        PlaySession s = server.play(CH1, false, Duration.ofSeconds(20), Duration.ofSeconds(5), f -> {
            assertThat(f.imageWidth).isEqualTo(320);
            pictures.incrementAndGet();
        });
        assertThat(s.ssrc()).hasSize(10).startsWith("0").matches("0" + "20000" + "\\d{4}");
        Duration first = s.firstPicture().get(30, TimeUnit.SECONDS);
        assertThat(first).isPositive();
        await().atMost(Duration.ofSeconds(30)).until(() -> pictures.get() >= 5);
        assertThat(s.failure()).isNull();
        StreamStatus playing = server.streamStatus(CH1);
        assertThat(playing.state()).isEqualTo("playing");
        assertThat(playing.firstPicture()).isEqualTo(first);
        server.stop(s);
        await().atMost(Duration.ofSeconds(30)).until(() -> nvr.byes() == 1);
        assertThat(server.streamStatus(CH1).state()).isEqualTo("stopped");
        // counted by a callback on the first picture, which may run just after the test's own wait returned
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(registry.get("safegrid.gb28181.play").tag("result", "ok").counter().count()).isEqualTo(1));
    }

    @Test
    void psOverRtpOverTcpWithTheDeviceConnectingIsDecodedToo() throws Exception {
        AtomicInteger pictures = new AtomicInteger();
        PlaySession s = server.play(CH1, true, Duration.ofSeconds(20), Duration.ofSeconds(5), f -> pictures.incrementAndGet());
        s.firstPicture().get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> pictures.get() >= 5);
        assertThat(s.failure()).isNull();
        server.stop(s);
        await().atMost(Duration.ofSeconds(30)).until(() -> nvr.byes() == 1);
    }

    @Test
    void aDeviceThatAnswersButSendsNothingIsReportedAsNoRtpOnItsPort() throws Exception {
        nvr.media(SimulatedDevice.Media.SILENT);
        PlaySession s = server.play(CH1, false, Duration.ofSeconds(20), Duration.ofSeconds(2), f -> { });
        await().atMost(Duration.ofSeconds(30)).until(() -> s.failure() != null);
        assertThat(s.failure().step()).isEqualTo(PlaySession.Step.RTP);
        assertThat(s.failure().detail()).contains("no RTP on UDP port " + s.rtpPort()).contains("2000 ms");
        server.stop(s);
        // the failed step outlives the session, for the console's camera
        StreamStatus failed = server.streamStatus(CH1);
        assertThat(failed.state()).isEqualTo("failed");
        assertThat(failed.step()).isEqualTo("rtp");
        assertThat(failed.detail()).contains("port " + s.rtpPort());
    }

    @Test
    void rtpWithAnotherSsrcIsReportedAsAnSsrcMismatch() throws Exception {
        nvr.media(SimulatedDevice.Media.WRONG_SSRC);
        PlaySession s = server.play(CH1, false, Duration.ofSeconds(20), Duration.ofSeconds(3), f -> { });
        await().atMost(Duration.ofSeconds(30)).until(() -> s.failure() != null);
        assertThat(s.failure().step()).isEqualTo(PlaySession.Step.SSRC);
        assertThat(s.failure().detail()).contains("expected " + Long.parseLong(s.ssrc()));
        server.stop(s);
        assertThat(server.streamStatus(CH1).step()).isEqualTo("ssrc");
    }

    @Test
    void aDeviceThatNeverAnswersTheInviteIsReportedAtTheInviteStep() throws Exception {
        nvr.close();
        nvr = null;
        PlaySession s = server.play(CH1, false, Duration.ofSeconds(2), Duration.ofSeconds(2), f -> { });
        assertThat(s.failure()).isNotNull();
        assertThat(s.failure().step()).isEqualTo(PlaySession.Step.INVITE);
        assertThat(s.failure().detail()).contains("no answer to INVITE");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(registry.get("safegrid.gb28181.play").tag("result", "invite").counter().count()).isEqualTo(1));
        server.stop(s);
        assertThat(server.streamStatus(CH1).step()).isEqualTo("invite");
    }

    @Test
    void aChannelNoRegisteredDeviceHasIsRefused() {
        assertThatThrownBy(() -> server.play("34020000001320000099", false, Duration.ofSeconds(1), Duration.ofSeconds(1), f -> { }))
                .hasMessageContaining("no registered device has channel");
    }
}
