package io.safegrid.cascade;

import io.safegrid.testing.TcpCutter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Finding;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A county and an enterprise node's cascades on real sockets, with a link the test can cut. */
class CascadeTest {
    @TempDir
    Path dir;

    private final MeterRegistry countyMeters = new SimpleMeterRegistry();
    private final MeterRegistry enterpriseMeters = new SimpleMeterRegistry();
    private final InProcessBus countyBus = new InProcessBus();
    private InProcessBus enterpriseBus = new InProcessBus();
    private final List<Finding> atCounty = Collections.synchronizedList(new ArrayList<>());
    private Cascade county;
    private Cascade enterprise;
    private TcpCutter link;

    @BeforeEach
    void start() throws Exception {
        countyBus.subscribe(Topic.FINDINGS, "test", (k, f) -> atCounty.add(f));
        county = new Cascade(Nodes.county(), countyBus, countyMeters, dir.resolve("county"), null);
        county.start();
        link = new TcpCutter(county.port());
    }

    @AfterEach
    void stop() throws Exception {
        if (enterprise != null) {
            enterprise.close();
        }
        enterpriseBus.close();
        link.close();
        county.close();
        countyBus.close();
    }

    private Cascade startEnterprise(String token) throws Exception {
        ConfigSource c = Nodes.enterprise(link.port(), token);
        Cascade e = new Cascade(c, enterpriseBus, enterpriseMeters, dir.resolve("enterprise"), null);
        e.start();
        return e;
    }

    private void publish(int from, int to) throws InterruptedException {
        for (int i = from; i < to; i++) {
            // one device: the bus keeps order per key, and so does the link
            enterpriseBus.publish(Topic.FINDINGS, "ch4-1", Nodes.finding(i, Nodes.MINE));
        }
    }

    private List<String> idsAtCounty() {
        synchronized (atCounty) {
            return atCounty.stream().map(Finding::id).toList();
        }
    }

    private static List<String> ids(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add("f-" + i);
        }
        return out;
    }

    private static double count(MeterRegistry r, String name, String... tags) {
        var c = r.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void findingsCutOffMidStreamArriveOnceEachAndInOrderAfterTheLinkIsBack() throws Exception {
        enterprise = startEnterprise(Nodes.TOKEN);
        await().atMost(Duration.ofSeconds(30)).until(enterprise::isLinkedUpstream);
        publish(0, 300);
        link.cut();
        publish(300, 600);
        await().atMost(Duration.ofSeconds(30)).until(() -> !enterprise.isLinkedUpstream());
        assertThat(idsAtCounty().size()).isLessThan(600);
        link.restore();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(idsAtCounty()).hasSize(600));
        Thread.sleep(300); // nothing more may trickle in
        assertThat(idsAtCounty()).containsExactlyElementsOf(ids(0, 600));
        Finding first = atCounty.get(0);
        assertThat(first.site()).isEqualTo(Nodes.MINE);
        assertThat(first.threshold()).isNaN();
        assertThat(first.details()).containsEntry("unit", "%");
        // the county confirmed everything, so the enterprise's queue is empty again
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                enterpriseMeters.get("safegrid.cascade.queue.depth").tag("peer", "upstream").gauge().value()).isZero());
        assertThat(count(enterpriseMeters, "safegrid.cascade.connects", "peer", "upstream")).isGreaterThanOrEqualTo(2);
        // counted once the county's bus took the finding, so it may trail the test's own subscriber
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(count(countyMeters, "safegrid.cascade.applied", "peer", "mine", "kind", "finding")).isEqualTo(600));
    }

    @Test
    void whatWasQueuedWhileTheLinkWasDownSurvivesARestartOfTheEnterpriseNode() throws Exception {
        link.cut();
        enterprise = startEnterprise(Nodes.TOKEN);
        publish(0, 50);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                enterpriseMeters.get("safegrid.cascade.queue.depth").tag("peer", "upstream").gauge().value())
                .isEqualTo(50));
        // the node stops (its bus delivers what it accepted, the cascade stores it), then starts again
        enterprise.close();
        enterpriseBus.close();
        enterpriseBus = new InProcessBus();
        enterprise = startEnterprise(Nodes.TOKEN);
        publish(50, 60);
        assertThat(idsAtCounty()).isEmpty();
        link.restore();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(idsAtCounty()).hasSize(60));
        Thread.sleep(300);
        assertThat(idsAtCounty()).containsExactlyElementsOf(ids(0, 60));
    }

    @Test
    void aWrongTokenIsRefusedAndNothingIsDelivered() throws Exception {
        enterprise = startEnterprise("not-the-token");
        publish(0, 3);
        // PBKDF2 at 210,000 iterations takes seconds on a cold, busy JVM
        await().atMost(Duration.ofSeconds(30)).until(() -> count(countyMeters, "safegrid.cascade.refused",
                "peer", "mine", "reason", "auth") >= 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> count(enterpriseMeters, "safegrid.cascade.refused",
                "peer", "upstream", "reason", "denied") >= 1);
        assertThat(enterprise.isLinkedUpstream()).isFalse();
        assertThat(county.isLinked("mine")).isFalse();
        assertThat(idsAtCounty()).isEmpty();
        // the bus's consumer queues the findings; nothing about the refusal says it has queued all three yet
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                enterpriseMeters.get("safegrid.cascade.queue.depth").tag("peer", "upstream").gauge().value()).isEqualTo(3));
    }

    @Test
    void aFindingForAnotherEnterpriseIsRefusedAndTheLinkGoesOn() throws Exception {
        enterprise = startEnterprise(Nodes.TOKEN);
        enterpriseBus.publish(Topic.FINDINGS, "x", Nodes.finding(1, Nodes.PLANT));
        enterpriseBus.publish(Topic.FINDINGS, "y", Nodes.finding(2, Nodes.MINE));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(idsAtCounty()).containsExactly("f-2"));
        // two keys: f-1 may be queued and sent after f-2, so its refusal can come after f-2 arrived
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                count(countyMeters, "safegrid.cascade.refused", "peer", "mine", "reason", "outside-grid")).isEqualTo(1));
        assertThat(idsAtCounty()).containsExactly("f-2");
    }

    @Test
    void aFindingWhosePictureWouldNotFitAFrameGoesUpWithoutItAndTheRestFollows() throws Exception {
        enterprise = startEnterprise(Nodes.TOKEN);
        Finding big = Nodes.finding(1, Nodes.MINE);
        byte[] snapshot = new byte[13 << 20]; // base64 makes it over 16 MiB
        enterpriseBus.publish(Topic.FINDINGS, "ch4-1", new Finding(big.id(), big.kind(), big.level(), big.condition(),
                big.sourceId(), big.site(), big.rule(), big.zone(), big.value(), big.threshold(), big.time(),
                big.message(), snapshot, big.details()));
        enterpriseBus.publish(Topic.FINDINGS, "ch4-1", Nodes.finding(2, Nodes.MINE));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(idsAtCounty()).containsExactly("f-1", "f-2"));
        assertThat(atCounty.get(0).snapshot()).isNull();
    }
}
