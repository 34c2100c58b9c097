package io.safegrid.ingest.gb28181;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.ingest.gb28181.device.CatalogChannel;
import io.safegrid.ingest.gb28181.device.GbDevice;
import io.safegrid.ingest.gb28181.sim.SimulatedDevice;
import io.safegrid.ingest.gb28181.sip.SipStacks;
import io.safegrid.model.Level;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server against a simulated NVR and IPC over real UDP and TCP sockets, each side its own JAIN-SIP stack. */
class Gb28181ServerTest {
    private final InProcessBus bus = new InProcessBus();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Finding> findings = new CopyOnWriteArrayList<>();
    private Gb28181Server server;
    private final List<SimulatedDevice> devices = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        bus.subscribe(Topic.FINDINGS, "test", (k, f) -> findings.add(f));
        server = new Gb28181Server(GbCounty.config(SipStacks.freePort("127.0.0.1"), "1s"), bus, registry, Clock.systemUTC());
        server.start();
    }

    @AfterEach
    void stop() {
        devices.forEach(SimulatedDevice::close);
        server.close();
        bus.close();
    }

    private SimulatedDevice device(String id, String password, String transport, Charset cs, SimulatedDevice.Channel... channels)
            throws Exception {
        SimulatedDevice d = new SimulatedDevice(id, password, GbCounty.SERVER, "127.0.0.1", server.port(), transport,
                List.of(channels), cs);
        devices.add(d);
        return d;
    }

    private GbDevice state(String id) {
        return server.devices().stream().filter(d -> d.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aGb2312NvrRegistersAndItsCatalogArrivesInPiecesWithItsChineseNames() throws Exception {
        SimulatedDevice nvr = device(GbCounty.NVR, GbCounty.NVR_PASSWORD, "UDP", Charset.forName("GB2312"),
                new SimulatedDevice.Channel(GbCounty.CH1, "1号井口"), new SimulatedDevice.Channel(GbCounty.CH2, "危化品仓库东门"));
        assertThat(nvr.register(Duration.ofHours(1))).isEqualTo(200);
        assertThat(nvr.serverDate()).as("GB/T 28181 time sync").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
        nvr.startKeepalives(Duration.ofMillis(500));

        await().atMost(Duration.ofSeconds(10)).until(() -> state(GbCounty.NVR).channels().size() == 2);
        GbDevice d = state(GbCounty.NVR);
        assertThat(d.transport()).isEqualTo("UDP");
        assertThat(d.channels()).extracting(CatalogChannel::name).containsExactly("1号井口", "危化品仓库东门");
        assertThat(d.channels()).filteredOn(CatalogChannel::bound).extracting(CatalogChannel::grid)
                .containsExactly(GridPath.parse("xian/town/mine"));
        assertThat(server.unboundChannels()).extracting(CatalogChannel::id).containsExactly(GbCounty.CH2);
        await().atMost(Duration.ofSeconds(30)).until(() -> "sim-nvr".equals(state(GbCounty.NVR).info().get("Model"))
                && "ONLINE".equals(state(GbCounty.NVR).info().get("Online")));
        await().atMost(Duration.ofSeconds(30)).until(() -> state(GbCounty.NVR).online());
        assertThat(registry.get("safegrid.gb28181.registrations").tag("result", "ok").counter().count()).isEqualTo(1);
        assertThat(registry.get("safegrid.gb28181.registrations").tag("result", "challenged").counter().count()).isEqualTo(1);
        assertThat(registry.get("safegrid.gb28181.catalog.items").counter().count()).isEqualTo(2);
        await().until(() -> registry.get("safegrid.gb28181.keepalives").counter().count() >= 2);
        assertThat(findings).filteredOn(f -> f.sourceId().equals(GbCounty.NVR)).isEmpty();
    }

    @Test
    void aDeviceThatFallsSilentGoesOfflineWithinThreeIntervalsAndComesBack() throws Exception {
        SimulatedDevice ipc = device(GbCounty.IPC, GbCounty.IPC_PASSWORD, "UDP", StandardCharsets.UTF_8);
        assertThat(ipc.register(Duration.ofHours(1))).isEqualTo(200);
        ipc.startKeepalives(Duration.ofMillis(300));
        Thread.sleep(1500);
        assertThat(findings).filteredOn(f -> f.sourceId().equals(GbCounty.IPC)).isEmpty();

        long silentAt = System.nanoTime();
        ipc.stopKeepalives();
        await().atMost(Duration.ofSeconds(15)).until(() -> findings.stream().anyMatch(f -> f.sourceId().equals(GbCounty.IPC)));
        double took = (System.nanoTime() - silentAt) / 1e9;
        Finding off = findings.stream().filter(f -> f.sourceId().equals(GbCounty.IPC)).findFirst().orElseThrow();
        assertThat(off.kind()).isEqualTo(FindingKind.DEVICE_OFFLINE);
        assertThat(off.condition()).isEqualTo(Condition.ACTIVE);
        assertThat(off.rule()).isEqualTo("device-offline");
        assertThat(off.site()).isEqualTo(GridPath.parse("xian/town/plant"));
        assertThat(off.message()).contains("仓库IPC").contains("no keepalive");
        // about 4 s; the upper bound leaves a loaded machine 5 s more and still tells three intervals from ten
        assertThat(took).as("3 missed keepalives of 1 s, judged once a second").isBetween(2.0, 9.0);

        ipc.startKeepalives(Duration.ofMillis(300));
        await().atMost(Duration.ofSeconds(30)).until(() -> findings.stream()
                .anyMatch(f -> f.sourceId().equals(GbCounty.IPC) && f.condition() == Condition.CLEARED));
    }

    @Test
    void unregisteringTakesTheDeviceOfflineAndItsMessagesAreRefused() throws Exception {
        SimulatedDevice ipc = device(GbCounty.IPC, GbCounty.IPC_PASSWORD, "TCP", StandardCharsets.UTF_8);
        assertThat(ipc.register(Duration.ofHours(1))).isEqualTo(200);
        assertThat(state(GbCounty.IPC).transport()).isEqualTo("TCP");
        await().atMost(Duration.ofSeconds(10)).until(() -> ipc.catalogQueries() == 1);   // over the device's own connection
        ipc.startKeepalives(Duration.ofMillis(300));
        await().atMost(Duration.ofSeconds(30)).until(() -> state(GbCounty.IPC).online());

        assertThat(ipc.register(Duration.ZERO)).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> findings.stream()
                .anyMatch(f -> f.sourceId().equals(GbCounty.IPC) && f.isActive() && f.message().contains("unregistered")));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                registry.get("safegrid.gb28181.messages.rejected").tag("reason", "unregistered").counter().count() >= 1);
    }

    @Test
    void aWrongPasswordIsRefusedAndRepeatedFailuresAreThrottled() throws Exception {
        SimulatedDevice thief = device(GbCounty.NVR, "guess", "UDP", StandardCharsets.UTF_8);
        assertThat(thief.register(Duration.ofHours(1))).isEqualTo(403);
        assertThat(thief.register(Duration.ofHours(1))).isEqualTo(403);
        assertThat(thief.register(Duration.ofHours(1))).isEqualTo(403);
        assertThat(registry.get("safegrid.gb28181.registration.failures").tag("reason", "wrong-password").counter().count()).isEqualTo(3);
        // blocked now, even with the right password, for the rest of the window
        SimulatedDevice real = device(GbCounty.NVR, GbCounty.NVR_PASSWORD, "UDP", StandardCharsets.UTF_8);
        assertThat(real.register(Duration.ofHours(1))).isEqualTo(403);
        assertThat(registry.get("safegrid.gb28181.registration.failures").tag("reason", "throttled").counter().count()).isEqualTo(1);
        assertThat(state(GbCounty.NVR).expiresAt()).isNull();
        // the same throttle as the other device protocols: a full window is a possible credential attack on the NVR
        await().atMost(Duration.ofSeconds(30)).until(() -> findings.stream().anyMatch(f -> f.kind() == FindingKind.CREDENTIAL_ATTACK));
        Finding attack = findings.stream().filter(f -> f.kind() == FindingKind.CREDENTIAL_ATTACK).findFirst().orElseThrow();
        assertThat(attack.sourceId()).isEqualTo(GbCounty.NVR);
        assertThat(attack.site()).isEqualTo(GridPath.parse("xian/town/mine"));
        assertThat(registry.get("safegrid.ingest.auth.throttled").counter().count()).isEqualTo(1);
    }

    @Test
    void aDeviceAlarmBecomesAFindingWhosePriorityGivesItsLevel() throws Exception {
        SimulatedDevice nvr = device(GbCounty.NVR, GbCounty.NVR_PASSWORD, "UDP", Charset.forName("GB2312"));
        assertThat(nvr.register(Duration.ofHours(1))).isEqualTo(200);
        nvr.alarm(GbCounty.CH1, 1, "区域入侵");
        nvr.alarm(GbCounty.CH2, 4, "移动侦测");
        await().atMost(Duration.ofSeconds(30)).until(() -> findings.stream().filter(f -> f.kind() == FindingKind.DEVICE_ALARM).count() == 2);
        Finding red = findings.stream().filter(f -> f.sourceId().equals(GbCounty.CH1)).findFirst().orElseThrow();
        assertThat(red.level()).isEqualTo(Level.RED);
        assertThat(red.site()).isEqualTo(GridPath.parse("xian/town/mine"));
        assertThat(red.message()).contains("区域入侵");
        Finding blue = findings.stream().filter(f -> f.sourceId().equals(GbCounty.CH2)).findFirst().orElseThrow();
        assertThat(blue.level()).isEqualTo(Level.BLUE);
        assertThat(blue.details()).containsEntry("alarmPriority", "4");
        await().atMost(Duration.ofSeconds(30)).until(() -> nvr.alarmResponses() == 2);   // the platform confirms each
    }

    @Test
    void aPtzInstructionReachesTheChannelsDeviceAsDeviceControl() throws Exception {
        SimulatedDevice nvr = device(GbCounty.NVR, GbCounty.NVR_PASSWORD, "TCP", Charset.forName("GB2312"),
                new SimulatedDevice.Channel(GbCounty.CH1, "1号井口"));
        assertThat(nvr.register(Duration.ofHours(1))).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> state(GbCounty.NVR).channels().size() == 1);
        assertThat(server.ptz(GbCounty.CH1, io.safegrid.ingest.gb28181.control.PtzCmd.Move.LEFT, 0x80)).isTrue();
        assertThat(server.ptz(GbCounty.CH1, io.safegrid.ingest.gb28181.control.PtzCmd.Move.STOP, 0)).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> nvr.ptzCommands().size() == 2);
        assertThat(nvr.ptzCommands()).extracting(SimulatedDevice.Ptz::channelId).containsOnly(GbCounty.CH1);
        assertThat(nvr.ptzCommands()).extracting(SimulatedDevice.Ptz::cmd).containsExactly("A50F010280000037", "A50F0100000000B5");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.ptz(GbCounty.IPC,
                io.safegrid.ingest.gb28181.control.PtzCmd.Move.UP, 1)).isInstanceOf(IllegalStateException.class);
    }
}
