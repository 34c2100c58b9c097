package io.safegrid.config.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.config.Deployment;
import io.safegrid.config.DeploymentLoader;
import io.safegrid.config.RuleDef;
import io.safegrid.config.UserDef;
import io.safegrid.config.auth.PasswordHash;
import io.safegrid.model.Level;
import io.safegrid.model.device.CameraSource;
import io.safegrid.model.device.Protocol;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo county is valid and has what the demo and the other stages rely on. */
class DemoCountyTest {
    private static Deployment d;

    @BeforeAll
    static void load() {
        d = DemoCounty.load(k -> null);
    }

    @Test
    void gridHasTheFiveLevels() {
        assertThat(d.grid().roots()).extracting(GridNode::path).containsExactly(GridPath.of("puxian"));
        assertThat(d.grid().ofKind(GridKind.TOWNSHIP)).hasSize(3);
        assertThat(d.grid().ofKind(GridKind.VILLAGE)).hasSize(6);
        assertThat(d.grid().ofKind(GridKind.DEPARTMENT)).extracting(GridNode::name)
                .containsExactly("县安委会", "县应急管理局", "县住房和城乡建设局");
        assertThat(d.grid().ofKind(GridKind.ENTERPRISE)).hasSize(10).allSatisfy(e -> {
            assertThat(e.enterprise().location().lat()).isBetween(36.2, 36.6);
            assertThat(e.enterprise().location().lon()).isBetween(110.9, 111.3);
            assertThat(e.enterprise().departments()).isNotEmpty();
            assertThat(e.enterprise().risk()).isNotNull();
        });
        assertThat(d.grid().ofKind(GridKind.ENTERPRISE)).extracting(e -> e.enterprise().industry())
                .contains("coal-mine", "hazardous-chemicals", "construction");
    }

    @Test
    void sensorsUseAllThreeProtocolsWithCredentials() {
        Map<Protocol, Long> byProtocol = d.sensors().stream().collect(Collectors.groupingBy(Sensor::protocol, Collectors.counting()));
        assertThat(byProtocol.keySet()).containsExactlyInAnyOrder(Protocol.MQTT, Protocol.HJ212, Protocol.HTTP);
        assertThat(d.sensors()).allSatisfy(s -> {
            assertThat(d.access(s.id())).as(s.id()).isPresent();
            if (s.protocol() == Protocol.HJ212) {
                assertThat(d.access(s.id()).get().hj212()).isNotNull();
            } else {
                assertThat(d.access(s.id()).get().secret()).hasSizeGreaterThanOrEqualTo(8);
            }
        });
        Set<String> hj212Sites = d.sensors().stream().filter(s -> s.protocol() == Protocol.HJ212)
                .map(s -> d.grid().node(s.site()).orElseThrow().enterprise().industry()).collect(Collectors.toSet());
        assertThat(hj212Sites).containsExactlyInAnyOrder("hazardous-chemicals", "construction");
        assertThat(d.sensors()).extracting(Sensor::metric)
                .contains("methane", "co", "temperature", "pressure", "tank-level", "fan-state", "dust");
        assertThat(d.sensorsOfMn("33140000HD01010000000001")).hasSize(4);
    }

    @Test
    void coalMineMethaneFollowsAq1029() {
        RuleDef t1 = rule("methane-working-face");
        assertThat(t1.deviceClasses()).containsExactly("coal-working-face");
        assertThat(t1.above()).isEqualTo(Map.of(Level.YELLOW, 0.75, Level.ORANGE, 1.0, Level.RED, 1.5));
        assertThat(t1.clear()).isEqualTo(1.0);
        RuleDef t2 = rule("methane-return-airway");
        assertThat(t2.above().get(Level.RED)).as("T2 power-off at 1.0").isEqualTo(1.0);
        assertThat(rule("co-limit").above().get(Level.ORANGE)).isEqualTo(24.0);
        assertThat(d.rules()).extracting(RuleDef::type).contains(RuleDef.Type.values());
    }

    @Test
    void camerasArePushedAndHaveZones() {
        assertThat(d.cameras()).hasSizeBetween(3, 4).allSatisfy(c -> {
            assertThat(c.source().mode()).isEqualTo(CameraSource.Mode.PUSH);
            assertThat(c.zones()).isNotEmpty();
            assertThat(d.access(c.id())).isPresent();
        });
    }

    @Test
    void everyGridNodeHasADayAndNightRosterOfRealPeople() {
        Set<GridPath> rostered = d.rosters().stream().map(r -> r.node()).collect(Collectors.toSet());
        assertThat(rostered).containsExactlyInAnyOrderElementsOf(d.grid().nodes().stream().map(GridNode::path).toList());
        Set<String> users = d.users().stream().map(UserDef::name).collect(Collectors.toSet());
        assertThat(d.rosters()).allSatisfy(r -> {
            assertThat(r.shifts()).extracting(s -> s.name()).containsExactly("day", "night");
            assertThat(users).contains(r.fallback());
            r.shifts().forEach(s -> assertThat(users).containsAll(s.people()));
        });
    }

    @Test
    void demoLoginsCoverEveryRoleAndMatchTheirHashes() {
        assertThat(DemoCounty.logins()).extracting(DemoCounty.Login::user).hasSize(4);
        Map<String, UserDef> users = d.users().stream().collect(Collectors.toMap(UserDef::name, u -> u));
        assertThat(DemoCounty.logins()).allSatisfy(l -> {
            UserDef u = users.get(l.user());
            assertThat(u).as(l.user()).isNotNull();
            assertThat(PasswordHash.verify(l.password().toCharArray(), u.passwordHash())).as(l.user()).isTrue();
        });
        assertThat(DemoCounty.logins()).extracting(l -> users.get(l.user()).role())
                .containsExactlyInAnyOrder("admin", "county-operator", "township-officer", "enterprise-operator");
        assertThat(users.values()).filteredOn(u -> u.passwordHash() != null).hasSize(4);
    }

    @Test
    void secretsCanBeOverriddenFromTheEnvironment() {
        Deployment withEnv = DemoCounty.load(Map.of("HONGDA_LOGGER_PW", "from-env-99")::get);
        assertThat(withEnv.access("hd-co-1").orElseThrow().hj212().password()).isEqualTo("from-env-99");
        assertThat(d.access("hd-co-1").orElseThrow().hj212().password()).isEqualTo("hd260511");
    }

    @Test
    void writtenFileLoadsAndIsNeverOverwritten(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("demo/county.yaml");
        assertThat(DemoCounty.writeTo(f)).isTrue();
        Deployment fromDisk = new DeploymentLoader(k -> null).read(f);
        assertThat(fromDisk.sensors()).isEqualTo(d.sensors());
        assertThat(fromDisk.source()).isEqualTo(f);
        Files.writeString(f, "# edited by hand\n" + Files.readString(f));
        assertThat(DemoCounty.writeTo(f)).isFalse();
        assertThat(Files.readString(f)).startsWith("# edited by hand");
    }

    private static RuleDef rule(String id) {
        return d.rules().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }
}
