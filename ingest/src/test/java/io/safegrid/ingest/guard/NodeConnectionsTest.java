package io.safegrid.ingest.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.safegrid.config.IngestLimits;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The node-wide connection count that keeps file handles for the record and the stores. */
class NodeConnectionsTest {
    private final List<String> refused = new ArrayList<>();
    private final NodeConnections node = new NodeConnections(4);
    private final ListenerGuard mqtt = guard("mqtt");
    private final ListenerGuard hj212 = guard("hj212");

    private ListenerGuard guard(String protocol) {
        return new ListenerGuard(protocol, IngestLimits::defaults, IngestLimits::mqttConnectTimeout, node,
                (reason, peer, detail) -> refused.add(protocol + ":" + reason), null, new SimpleMeterRegistry());
    }

    private static EmbeddedChannel connect(ListenerGuard g) {
        return new EmbeddedChannel(g.handler());
    }

    @Test
    void theProcessLimitLessTheReserveIsWhatIngestMayHold() {
        long limit = NodeConnections.processFileLimit();
        assertThat(NodeConnections.ofProcessLimit(2048).max()).isEqualTo((int) Math.max(64, limit - 2048));
    }

    @Test
    void allListenersTogetherHoldAtMostTheNodesCountAndAClosedConnectionGivesItsHandleBack() {
        List<EmbeddedChannel> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            EmbeddedChannel ch = connect(mqtt);
            ListenerGuard.authenticated(ch);
            held.add(ch);
        }
        EmbeddedChannel logger = connect(hj212);
        ListenerGuard.authenticated(logger);
        assertThat(node.open()).isEqualTo(4);

        EmbeddedChannel oneTooMany = connect(hj212);
        assertThat(oneTooMany.isOpen()).as("no unauthenticated connection to make room with: refused").isFalse();
        assertThat(refused).containsExactly("hj212:node-full");
        assertThat(node.open()).isEqualTo(4);
        assertThat(mqtt.open() + hj212.open()).isEqualTo(4);

        held.get(0).close();
        assertThat(node.open()).isEqualTo(3);
        EmbeddedChannel next = connect(hj212);
        assertThat(next.isOpen()).isTrue();
        assertThat(node.open()).isEqualTo(4);
    }

    @Test
    void whenTheNodeIsFullANewcomerTakesTheHandleOfItsListenersOldestUnauthenticatedConnection() {
        for (int i = 0; i < 3; i++) {
            ListenerGuard.authenticated(connect(mqtt));
        }
        EmbeddedChannel idle = connect(hj212);   // never logs in
        EmbeddedChannel device = connect(hj212);
        assertThat(idle.isOpen()).as("closed to make room").isFalse();
        assertThat(device.isOpen()).isTrue();
        assertThat(refused).containsExactly("hj212:evicted");
        assertThat(node.open()).isEqualTo(4);
    }
}
