package io.safegrid.node.cascade;

import io.safegrid.testing.TcpCutter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.config.ConfigSource;
import io.safegrid.config.DeploymentLoader;
import io.safegrid.config.auth.PasswordHash;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmDesk;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import io.safegrid.node.TestCounty;
import io.safegrid.node.wiring.Metrics;
import io.safegrid.node.wiring.Node;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two whole nodes in one JVM, each with its own bus, alerting and H2: the county, and the coal
 * mine's own control-room node linked to it through a relay the test can cut.
 */
class CascadeNodesTest {
    private static final String TOKEN = "kecheng-coal-link-7f3a";
    private static final GridPath MINE = GridPath.parse("puxian/kecheng/dongyu/kecheng-coal");
    private static final String SOURCE = "kc-ch4-t1";

    @TempDir
    Path dir;
    private Node county;
    private Node enterprise;
    private TcpCutter link;
    private final List<String> arrivedAtCounty = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        String hash = PasswordHash.hash(TOKEN.toCharArray());
        county = node(TestCounty.yaml(dir.resolve("county")) + "cascade:\n  listen-port: 0\n  peers:\n"
                + "    - {id: kecheng-coal, token-hash: \"" + hash + "\", grid: " + MINE + "}\n");
        county.bus().subscribe(Topic.FINDINGS, "test-arrivals", (k, f) -> arrivedAtCounty.add(f.rule()));
        link = new TcpCutter(county.stages().cascade().port());
        enterprise = startEnterprise();
    }

    private Node startEnterprise() throws Exception {
        return node(TestCounty.yaml(dir.resolve("enterprise")) + "cascade:\n  upstream: {address: \"127.0.0.1:"
                + link.port() + "\", peer: kecheng-coal, token: \"" + TOKEN + "\"}\n  reconnect-max: 400ms\n");
    }

    private static Node node(String yaml) throws Exception {
        ConfigSource c = ConfigSource.of(new DeploymentLoader(k -> null).read("county.yaml", yaml, null));
        return new Node(c, Set.of("alerting"), Metrics.create()).start();
    }

    @AfterEach
    void stop() throws Exception {
        if (enterprise != null) {
            enterprise.close();
        }
        link.close();
        county.close();
    }

    /** What analytics at the mine would publish: methane over the limit, one rule per finding here. */
    private void methane(Node at, int n) throws InterruptedException {
        at.bus().publish(Topic.FINDINGS, SOURCE, new Finding("ent-" + n, FindingKind.THRESHOLD, Level.ORANGE,
                Condition.ACTIVE, SOURCE, MINE, "rule-" + n, null, 1.2, 1.0,
                Instant.now(), "工作面甲烷超限 #" + n, null, Map.of("metric", "methane")));
    }

    private static List<Alarm> alarmsAt(Node n) {
        return n.stages().alarmDesk().list(AlarmQuery.open(MINE).page(0, 500)).items().stream()
                .filter(a -> a.sourceId().equals(SOURCE)).toList();
    }

    private static Optional<Alarm> alarm(Node n, String rule) {
        return alarmsAt(n).stream().filter(a -> a.rule().equals(rule)).findFirst();
    }

    private static List<String> rules(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add("rule-" + i);
        }
        return out;
    }

    @Test
    void alarmsRaisedWhileTheLinkIsCutAndTheMineNodeRestartsReachTheCountyOnceEachAndInOrder() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> enterprise.stages().cascade().isLinkedUpstream());
        for (int i = 0; i < 5; i++) {
            methane(enterprise, i);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !arrivedAtCounty.isEmpty());
        link.cut(); // mid-stream: some of the first five are through, the rest in flight or queued
        for (int i = 5; i < 10; i++) {
            methane(enterprise, i);
        }
        enterprise.close();
        enterprise = startEnterprise();
        for (int i = 10; i < 15; i++) {
            methane(enterprise, i);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> alarmsAt(enterprise).size() == 15);
        link.restore();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(alarmsAt(county)).hasSize(15));
        // the test's subscriber reads the county's findings on a thread of its own, beside alerting's
        await().atMost(Duration.ofSeconds(30)).until(() -> arrivedAtCounty.size() >= 15);
        Thread.sleep(500); // a late duplicate would show up now
        assertThat(arrivedAtCounty).containsExactlyElementsOf(rules(0, 15));
        assertThat(alarmsAt(county)).allSatisfy(a -> {
            assertThat(a.count()).as("findings behind county alarm " + a.rule()).isEqualTo(1);
            assertThat(a.level()).isEqualTo(Level.ORANGE);
            assertThat(a.site()).isEqualTo(MINE);
        });
    }

    @Test
    void theCountysAcknowledgementReachesTheMineAndTheMinesNoteReachesTheCounty() throws Exception {
        methane(enterprise, 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> alarm(county, "rule-1").isPresent());
        AlarmDesk countyDesk = county.stages().alarmDesk();
        AlarmDesk mineDesk = enterprise.stages().alarmDesk();
        String atCounty = alarm(county, "rule-1").orElseThrow().id();
        countyDesk.acknowledge(atCounty, "wang-qiang", "已通知矿方撤人核查");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(alarm(enterprise, "rule-1")).get().satisfies(a -> assertThat(a.acknowledged()).isTrue()));
        String atMine = alarm(enterprise, "rule-1").orElseThrow().id();
        assertThat(mineDesk.timeline(atMine)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(AlarmEvent.Type.ACKNOWLEDGED);
            assertThat(e.actor()).isEqualTo("county:wang-qiang");
            assertThat(e.note()).contains("已通知矿方撤人核查");
        });

        // the mine's control room answers in turn; that lands on the county's timeline
        mineDesk.comment(atMine, "zhang-hui", "15201工作面已撤人，通风已加强");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(countyDesk.timeline(atCounty))
                .anySatisfy(e -> {
                    assertThat(e.type()).isEqualTo(AlarmEvent.Type.COMMENTED);
                    assertThat(e.actor()).isEqualTo("enterprise:kecheng-coal/zhang-hui");
                    assertThat(e.note()).contains("15201工作面已撤人");
                }));
        // the county's own acknowledgement did not come back up as a comment
        assertThat(countyDesk.timeline(atCounty)).filteredOn(e -> e.type() == AlarmEvent.Type.COMMENTED).hasSize(1);
    }
}
