package io.safegrid.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.safegrid.model.Level;
import io.safegrid.model.RiskGrade;
import io.safegrid.model.device.Camera;
import io.safegrid.model.device.CameraSource;
import io.safegrid.model.device.Protocol;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.device.ValueRange;
import io.safegrid.model.device.ZonePurpose;
import io.safegrid.model.grid.GeoPoint;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file that uses every section loads into exactly the deployment it describes. */
class DeploymentLoaderTest {
    private static final Map<String, String> ENV = Map.of("CH4_SECRET", "from-the-environment");
    private static Deployment d;

    @BeforeAll
    static void load(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("complete.yaml");
        try (InputStream in = DeploymentLoaderTest.class.getResourceAsStream("complete.yaml")) {
            Files.write(file, in.readAllBytes());
        }
        d = new DeploymentLoader(ENV::get).read(file);
        assertThat(d.source()).isEqualTo(file);
    }

    @Test
    void nodeSettingsOverrideTheDefaults() {
        NodeSettings n = d.node();
        assertThat(d.name()).isEqualTo("测试县");
        assertThat(n.nodeId()).isEqualTo("edge-7");
        assertThat(n.roles()).containsExactlyInAnyOrder("ingest", "analytics");
        assertThat(n.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(List.of(n.httpPort(), n.mqttPort(), n.hj212Port(), n.ingestHttpPort(), n.videoPushPort()))
                .containsExactly(0, 11883, -1, 18081, 0);
        assertThat(n.dataDir()).isEqualTo(Path.of("/var/lib/safegrid"));
        assertThat(n.maxPayloadBytes()).isEqualTo(65536);
        assertThat(n.maxReadingsPerSecondPerDevice()).isEqualTo(12.5);
        assertThat(n.consoleUrl()).isEqualTo("https://safegrid.example.cn");
    }

    @Test
    void catalogues() {
        assertThat(d.metrics()).containsOnlyKeys("methane", "co", "fan");
        assertThat(d.metrics().get("co")).isEqualTo(new MetricDef("co", "一氧化碳", "CO", "ppm", new ValueRange(0, 1000), "a21005"));
        assertThat(d.metrics().get("fan").nameEn()).as("names default to the id").isEqualTo("fan");
        assertThat(d.deviceClasses().get("face").offlineAfter()).isEqualTo(Duration.ofSeconds(90));
        assertThat(d.deviceClasses().get("fan").offlineAfter()).isEqualTo(Duration.ofMinutes(90));
        assertThat(d.deviceClasses().get("plain").offlineAfter()).as("default").isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void gridTreeWithEnterpriseProfile() {
        assertThat(d.grid().size()).isEqualTo(6);
        GridPath mine = GridPath.parse("testxian/town1/v1/mine");
        GridNode node = d.grid().node(mine).orElseThrow();
        assertThat(node.kind()).isEqualTo(GridKind.ENTERPRISE);
        assertThat(node.name()).isEqualTo("一号煤矿");
        assertThat(node.enterprise().industry()).isEqualTo("coal-mine");
        assertThat(node.enterprise().location()).isEqualTo(new GeoPoint(36.4, 111.1));
        assertThat(node.enterprise().risk()).isEqualTo(RiskGrade.MAJOR);
        assertThat(node.enterprise().departments()).containsExactly(GridPath.parse("testxian/emergency"));
        assertThat(node.enterprise().contact()).isEqualTo("0357-1234567");
        assertThat(d.grid().node(GridPath.parse("testxian/town1/v1")).orElseThrow().name()).as("name defaults to id").isEqualTo("v1");
        assertThat(d.grid().children(GridPath.parse("testxian")).stream().map(GridNode::id)).containsExactly("emergency", "town1");
        assertThat(d.grid().enterpriseOf(GridPath.parse("testxian/town1/v1/mine/pithead"))).contains(node);
    }

    @Test
    void sensorsTakeUnitAndRangeFromTheirMetricUnlessGiven() {
        Sensor ch4 = d.sensor("ch4-1").orElseThrow();
        assertThat(ch4).isEqualTo(new Sensor("ch4-1", "工作面甲烷", GridPath.parse("testxian/town1/v1/mine"), "methane", "%",
                new ValueRange(0, 40), "face", Protocol.MQTT));
        Sensor co2 = d.sensor("co-2").orElseThrow();
        assertThat(co2.unit()).isEqualTo("mg/m³");
        assertThat(co2.range()).isEqualTo(new ValueRange(0, 500));
        assertThat(co2.name()).as("name defaults to id").isEqualTo("co-2");
    }

    @Test
    void accessCarriesSecretsFromTheEnvironmentAndHj212Bindings() {
        assertThat(d.access("ch4-1").orElseThrow().secret()).isEqualTo("from-the-environment");
        assertThat(d.access("co-2").orElseThrow().secret()).isEqualTo("http-secret-2");
        DeviceAccess co1 = d.access("co-1").orElseThrow();
        assertThat(co1.hj212()).as("factor defaults from the metric; pw from the ${...:-default}")
                .isEqualTo(new DeviceAccess.Hj212Binding("MN0001", "pw123456", "a21005"));
        assertThat(d.sensorsOfMn("MN0001")).extracting(Sensor::id).containsExactly("co-1", "fan-1");
        assertThat(d.access("cam-1").orElseThrow().secret()).isEqualTo("camera-secret-1");
        assertThat(d.access("cam-2")).isEmpty();
    }

    @Test
    void camerasWithZonesAndAnalysisDefaults() {
        Camera c1 = d.camera("cam-1").orElseThrow();
        assertThat(c1.source()).isEqualTo(new CameraSource(CameraSource.Mode.PUSH, null, null));
        assertThat(c1.analysis().fps()).isEqualTo(2.5);
        assertThat(c1.analysis().width()).isEqualTo(320);
        assertThat(c1.analysis().analyzers()).containsExactlyInAnyOrder("intrusion", "fire");
        assertThat(c1.zones()).hasSize(2);
        assertThat(c1.zones().get(0).purpose()).isEqualTo(ZonePurpose.RESTRICTED);
        assertThat(c1.zones().get(0).dwellSeconds()).isEqualTo(2.0);
        assertThat(c1.zones().get(0).contains(0.2, 0.7)).isTrue();
        assertThat(c1.zones().get(1).maxPeople()).isEqualTo(5);
        Camera c2 = d.camera("cam-2").orElseThrow();
        assertThat(c2.source()).isEqualTo(new CameraSource(CameraSource.Mode.PULL, "rtsp://10.0.0.9/ch1", "tcp"));
        assertThat(c2.analysis().fps()).isEqualTo(5.0);
        assertThat(c2.analysis().analyzers()).containsExactlyInAnyOrder("intrusion", "people", "fire", "tamper");
        assertThat(c2.zones()).isEmpty();
    }

    @Test
    void rulesOfEveryType() {
        Map<String, RuleDef> rules = new java.util.HashMap<>();
        d.rules().forEach(r -> rules.put(r.id(), r));
        RuleDef ch4 = rules.get("ch4");
        assertThat(ch4.type()).isEqualTo(RuleDef.Type.THRESHOLD);
        assertThat(ch4.above()).isEqualTo(Map.of(Level.YELLOW, 0.75, Level.ORANGE, 1.0, Level.RED, 1.5));
        assertThat(ch4.clear()).isEqualTo(1.0);
        assertThat(ch4.minDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(ch4.deviceClasses()).containsExactly("face");
        assertThat(ch4.description()).isEqualTo("T1");
        assertThat(rules.get("low-fan").below()).isEqualTo(Map.of(Level.BLUE, 0.5));
        assertThat(rules.get("ch4-rate").ratePerMinute()).isEqualTo(0.2);
        assertThat(rules.get("stuck").stuckFor()).isEqualTo(Duration.ofMinutes(30));
        assertThat(rules.get("stuck").level()).as("sensor faults default to blue").isEqualTo(Level.BLUE);
        assertThat(rules.get("stuck").metric()).isNull();
        assertThat(rules.get("ch4-trend").horizon()).isEqualTo(Duration.ofMinutes(10));
        assertThat(rules.get("ch4-fan").otherMetric()).isEqualTo("fan");
        assertThat(rules.get("ch4-fan").otherValue()).isEqualTo(0.0);
        assertThat(rules.get("offline").level()).as("levels may be written in Chinese").isEqualTo(Level.ORANGE);
        assertThat(d.rules()).extracting(RuleDef::id).containsExactly("ch4", "low-fan", "ch4-rate", "stuck", "ch4-trend",
                "ch4-fan", "offline");
    }

    @Test
    void escalationMergesIntoTheDefaults() {
        EscalationPolicy e = d.escalation();
        EscalationPolicy defaults = EscalationPolicy.defaults();
        assertThat(e.notifyFirst().get(Level.RED)).as("the enterprise is always told")
                .containsExactlyInAnyOrder(GridKind.ENTERPRISE, GridKind.TOWNSHIP, GridKind.COUNTY);
        assertThat(e.notifyFirst().get(Level.YELLOW)).isEqualTo(defaults.notifyFirst().get(Level.YELLOW));
        assertThat(e.ackTimeout().get(Level.BLUE)).isEqualTo(Duration.ofHours(1));
        assertThat(e.ackTimeout().get(Level.RED)).isEqualTo(Duration.ofMinutes(2));
        assertThat(e.ackTimeout().get(Level.ORANGE)).isEqualTo(defaults.ackTimeout().get(Level.ORANGE));
    }

    @Test
    void channelsUsersAndRosters() {
        assertThat(d.channels()).extracting(ChannelDef::id).containsExactly("hook", "sms", "mail");
        assertThat(d.channels().get(0).settings()).isEqualTo(Map.of("url", "https://hooks.example.cn/a", "secret", "s3cr3t"));
        assertThat(d.channels().get(2).settings()).containsEntry("port", "465").containsEntry("host", "smtp.example.cn");
        UserDef admin = d.users().get(0);
        assertThat(admin.scope()).as("scope defaults to the county").isEqualTo(GridPath.of("testxian"));
        assertThat(admin.passwordHash()).startsWith("pbkdf2-sha256$210000$");
        UserDef li = d.users().get(1);
        assertThat(li.passwordHash()).isNull();
        assertThat(li.contacts()).isEqualTo(Map.of("sms", "13800000001", "mail", "li@example.cn"));
        Roster r = d.rosters().get(0);
        assertThat(r.node()).isEqualTo(GridPath.parse("testxian/town1"));
        assertThat(r.fallback()).isEqualTo("li-si");
        assertThat(r.shifts().get(0)).isEqualTo(new Roster.Shift("day", LocalTime.of(8, 0), LocalTime.of(20, 0),
                Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY), List.of("li-si")));
        assertThat(r.shifts().get(1).days()).as("no days: every day").isEmpty();
        assertThat(r.shifts().get(1).people()).containsExactly("li-si", "admin");
    }

    @Test
    void aMinimalFileGetsDefaultsEverywhere() {
        Deployment min = new DeploymentLoader(k -> null).read("min.yaml", """
                name: 最小
                grid: {id: x, kind: county}
                """, null);
        assertThat(min.node()).isEqualTo(NodeSettings.defaults());
        assertThat(min.escalation()).isEqualTo(EscalationPolicy.defaults());
        assertThat(min.sensors()).isEmpty();
        assertThat(min.grid().size()).isEqualTo(1);
        assertThat(min.source()).isNull();
    }

    @Test
    void anUnsetEnvironmentVariableIsAnErrorAtItsLine() {
        assertThatThrownBy(() -> new DeploymentLoader(k -> null).read("env.yaml", """
                name: x
                grid: {id: x, kind: county}
                channels:
                  - {id: hook, type: webhook, url: "http://a", secret: "${HOOK_SECRET}"}
                """, null))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::toString)
                        .containsExactly("env.yaml:4: channels[0].secret: environment variable 'HOOK_SECRET' is not set "
                                + "(give ${HOOK_SECRET:-default} for a default)"));
    }

    @Test
    void envReferencesResolveAnywhereAndDollarDollarEscapes() {
        Deployment x = new DeploymentLoader(Map.of("PORT", "1999", "NAME", "县")::get).read("env.yaml", """
                name: "${NAME}-$${NOT_A_VAR}"
                node: {mqtt-port: "${PORT}", http-port: "${HTTP:-7070}"}
                grid: {id: x, kind: county}
                """, null);
        assertThat(x.name()).isEqualTo("县-${NOT_A_VAR}");
        assertThat(x.node().mqttPort()).isEqualTo(1999);
        assertThat(x.node().httpPort()).isEqualTo(7070);
    }

    @Test
    void readsUtf8FromDisk(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("县.yaml");
        Files.writeString(f, "name: 蒲县\ngrid: {id: puxian, kind: county, name: 蒲县}\n", StandardCharsets.UTF_8);
        assertThat(DeploymentLoader.load(f).grid().node(GridPath.of("puxian")).orElseThrow().name()).isEqualTo("蒲县");
    }
}
