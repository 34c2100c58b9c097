package io.safegrid.ingest.gb28181;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.DeploymentLoader;
import io.safegrid.ingest.gb28181.cascade.UpperLink;
import io.safegrid.ingest.gb28181.device.CatalogChannel;
import io.safegrid.ingest.gb28181.device.GbDevice;
import io.safegrid.ingest.gb28181.live.PlaySession;
import io.safegrid.ingest.gb28181.sim.SimulatedDevice;
import io.safegrid.ingest.gb28181.sip.SipStacks;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Upward cascade between two SafeGrid GB/T 28181 servers on real sockets: the county registers to a
 * city platform (digest, renewals), the city's Catalog query gets only the shared channel with its
 * Chinese name, the city's INVITE gets the NVR's video as PS/RTP over UDP and TCP (decoded up there),
 * and an alarm raised in the county arrives in the city as a device alarm.
 */
class UpwardCascadeTest {
    static final String CITY = "34000000002000000001";
    static final String COUNTY_PASSWORD = "county-to-city";

    private final InProcessBus countyBus = new InProcessBus();
    private final InProcessBus cityBus = new InProcessBus();
    private final SimpleMeterRegistry countyMetrics = new SimpleMeterRegistry();
    private final List<Finding> cityFindings = new CopyOnWriteArrayList<>();
    private Gb28181Server city;
    private Gb28181Server county;
    private SimulatedDevice nvr;

    @BeforeEach
    void start() throws Exception {
        cityBus.subscribe(Topic.FINDINGS, "test", (k, f) -> cityFindings.add(f));
        city = new Gb28181Server(cityConfig(SipStacks.freePort("127.0.0.1")), cityBus, new SimpleMeterRegistry(), Clock.systemUTC());
        city.start();
        county = new Gb28181Server(GbCounty.config(SipStacks.freePort("127.0.0.1"), "60s", """
                  upper:
                    - id: "%s"
                      host: 127.0.0.1
                      port: %d
                      password: %s
                      expires: 2s
                      keepalive-interval: 1s
                      retry-min: 200ms
                      share: ["%s"]
                """.formatted(CITY, city.port(), COUNTY_PASSWORD, GbCounty.CH1)), countyBus, countyMetrics, Clock.systemUTC());
        county.start();
        nvr = new SimulatedDevice(GbCounty.NVR, GbCounty.NVR_PASSWORD, GbCounty.SERVER, "127.0.0.1",
                county.port(), "UDP", List.of(new SimulatedDevice.Channel(GbCounty.CH1, "1号井口"),
                new SimulatedDevice.Channel(GbCounty.CH2, "危化品仓库东门")), Charset.forName("GB2312"));
        assertThat(nvr.register(Duration.ofHours(1))).isEqualTo(200);
        nvr.startKeepalives(Duration.ofSeconds(1));
    }

    /** The city platform: the county is one of its devices. */
    static ConfigSource cityConfig(int port) {
        String yaml = """
                name: 市平台
                grid:
                  id: city
                  kind: county
                  children:
                    - {id: xian, kind: township}
                gb28181:
                  server-id: "%s"
                  address: 127.0.0.1
                  listen-port: %d
                  devices:
                    - id: "%s"
                      name: 测试县平台
                      password: %s
                      grid: city/xian
                """.formatted(CITY, port, GbCounty.SERVER, COUNTY_PASSWORD);
        return ConfigSource.of(new DeploymentLoader(Map.<String, String>of()::get).read("city.yaml", yaml, null));
    }

    @AfterEach
    void stop() {
        nvr.close();
        county.close();
        city.close();
        countyBus.close();
        cityBus.close();
    }

    private GbDevice countyAtCity() {
        return city.devices().stream().filter(d -> d.id().equals(GbCounty.SERVER)).findFirst().orElseThrow();
    }

    @Test
    void theCountyRegistersRenewsAndAnswersTheCitysCatalogWithTheSharedChannelOnly() {
        await().atMost(Duration.ofSeconds(10)).until(() -> countyAtCity().online() && !countyAtCity().channels().isEmpty());
        assertThat(countyAtCity().channels()).extracting(CatalogChannel::id).containsExactly(GbCounty.CH1);
        // the county answers with the names its NVR reported; the city's first query may come before the NVR's catalog
        await().atMost(Duration.ofSeconds(30)).until(() -> county.devices().stream().anyMatch(d -> d.channels().size() == 2));
        assertThat(city.queryAll(GbCounty.SERVER)).isTrue();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(countyAtCity().channels())
                .extracting(CatalogChannel::name).containsExactly("1号井口"));
        assertThat(countyAtCity().info()).containsEntry("Online", "ONLINE");
        UpperLink link = county.uppers().get(0);
        assertThat(link.state()).isEqualTo(UpperLink.State.REGISTERED);
        // granted 2 s, renewed at 1.5 s: three registrations (about 4 s; more time for a loaded machine), none failed
        await().atMost(Duration.ofSeconds(20)).until(() -> countyMetrics.get("safegrid.gb28181.upper.registrations")
                .tag("result", "ok").counter().count() >= 3);
        assertThat(countyMetrics.find("safegrid.gb28181.upper.registrations").tag("result", "failed").counter()).isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> countyAtCity().lastKeepalive() != null);
    }

    /** The city knows the shared channel, and the county the NVR's catalog: until then the county answers 480. */
    private void channelKnownBothWays() {
        await().atMost(Duration.ofSeconds(10)).until(() -> !countyAtCity().channels().isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> county.devices().stream().anyMatch(d -> d.channels().size() == 2));
    }

    @Test
    void theCitysInviteGetsTheChannelsVideoOverUdpAndOverTcp() throws Exception {
        channelKnownBothWays();
        for (boolean tcp : new boolean[] {false, true}) {
            AtomicInteger pictures = new AtomicInteger();
            List<Integer> widths = new CopyOnWriteArrayList<>();
            PlaySession s = city.play(GbCounty.CH1, tcp, Duration.ofSeconds(20), Duration.ofSeconds(15), (Frame f) -> {
                pictures.incrementAndGet();
                widths.add(f.imageWidth);
            });
            try {
                assertThat(s.failure()).as(tcp ? "TCP" : "UDP").isNull();
                Duration first = s.firstPicture().get(30, java.util.concurrent.TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(10)).until(() -> pictures.get() >= 5);
                assertThat(widths).as("the NVR's 320x240 test pattern, decoded in the city").contains(320);
                assertThat(first).isLessThan(Duration.ofSeconds(30));
            } finally {
                int byes = nvr.byes();
                city.stop(s);
                // the city's BYE reaches the county, which ends its own stream from the NVR
                await().atMost(Duration.ofSeconds(30)).until(() -> nvr.byes() > byes);
            }
        }
    }

    @Test
    void whenTheChannelsStreamDiesTheCountyHangsUpOnTheCity() throws Exception {
        channelKnownBothWays();
        AtomicInteger pictures = new AtomicInteger();
        // the city would give up on its own only after 30 s of silence; the county's relay waits 5 s
        PlaySession s = city.play(GbCounty.CH1, false, Duration.ofSeconds(20), Duration.ofSeconds(30), f -> pictures.incrementAndGet());
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> pictures.get() >= 3);
            assertThat(s.failure()).isNull();

            nvr.cutStreams();   // the NVR goes silent over UDP, with no BYE

            PlaySession.Failure f = s.failed().get(25, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(f.step()).isEqualTo(PlaySession.Step.RTP);
            assertThat(f.detail()).contains("BYE");
            assertThat(countyMetrics.get("safegrid.gb28181.upper.hangups").tag("upper", CITY).tag("step", "rtp").counter().count())
                    .isEqualTo(1.0);
        } finally {
            city.stop(s);
        }
    }

    @Test
    void theCityCannotPlayAChannelTheCountyDoesNotShare() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> countyAtCity().online());
        // the city knows CH2 only if it asks for it by id: route the INVITE to the county as a device of its own
        PlaySession s = city.play(GbCounty.SERVER, false, Duration.ofSeconds(20), Duration.ofSeconds(2), f -> { });
        assertThat(s.failure()).isNotNull();
        assertThat(s.failure().step()).isEqualTo(PlaySession.Step.INVITE);
        assertThat(s.failure().detail()).contains("404");
        city.stop(s);
    }

    @Test
    void anAlarmRaisedInTheCountyArrivesInTheCityFromTheSharedChannel() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> !countyAtCity().channels().isEmpty());
        Instant now = Instant.now();
        Alarm a = new Alarm("a-1", "k-1", FindingKind.INTRUSION, Level.RED, Level.RED, AlarmState.RAISED, false,
                GbCounty.CH1, GridPath.parse("xian/town/mine"), "intrusion", "区域入侵：井口有人", 1, 1, 0, 1, now, now, now, null);
        countyBus.publish(Topic.ALARMS, "a-1", new AlarmEvent(1, AlarmEvent.Type.RAISED, "a-1", now, null, null, a));
        await().atMost(Duration.ofSeconds(30)).until(() -> cityFindings.stream().anyMatch(f -> f.kind() == FindingKind.DEVICE_ALARM));
        Finding f = cityFindings.stream().filter(x -> x.kind() == FindingKind.DEVICE_ALARM).findFirst().orElseThrow();
        assertThat(f.sourceId()).isEqualTo(GbCounty.CH1);
        assertThat(f.level()).isEqualTo(Level.RED);
        assertThat(f.message()).contains("区域入侵：井口有人");
        assertThat(f.details()).containsEntry("alarmMethod", "5");
    }
}
