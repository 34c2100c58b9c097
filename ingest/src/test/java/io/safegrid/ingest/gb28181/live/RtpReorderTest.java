package io.safegrid.ingest.gb28181.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order RTP payloads reach the demultiplexer in, for packets that came out of order, twice or never. */
class RtpReorderTest {
    static final long WAIT = 100_000_000L;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final List<Integer> out = new ArrayList<>();
    final RtpReorder order = new RtpReorder(WAIT, p -> out.add((p[0] & 0xFF) << 8 | p[1] & 0xFF), registry);

    /** A payload that names its sequence number. */
    private void add(int seq, long atMs) {
        order.add(seq, new byte[] {(byte) (seq >> 8), (byte) seq}, atMs * 1_000_000L);
    }

    private double node(String kind) {
        return registry.get("safegrid.gb28181.rtp.disorder").tag("kind", kind).counter().count();
    }

    @Test
    void packetsInOrderGoOnAtOnce() {
        for (int s = 10; s < 20; s++) {
            add(s, 0);
            assertThat(out).as("nothing waits").hasSize(s - 9);
        }
        assertThat(order.waiting()).isFalse();
        assertThat(node("reordered") + node("lost") + node("late") + node("duplicate")).isZero();
    }

    @Test
    void swappedPacketsArePutBackAndARepeatIsDropped() {
        add(1, 0);
        add(3, 1);
        add(2, 2);
        add(5, 3);
        add(5, 3);
        add(4, 4);
        add(2, 5);
        assertThat(out).containsExactly(1, 2, 3, 4, 5);
        assertThat(order.counts.reordered.get()).isEqualTo(2);
        assertThat(order.counts.duplicate.get()).isOne();
        assertThat(order.counts.late.get()).as("2 again, after it went on").isOne();
        assertThat(node("reordered")).isEqualTo(2);
    }

    @Test
    void aMissingPacketIsWaitedForOnlyAsLongAsAllowed() {
        add(100, 0);
        add(102, 10);
        add(103, 20);
        order.expire(109 * 1_000_000L);
        assertThat(out).as("101 may still come").containsExactly(100);
        order.expire(110 * 1_000_000L);
        assertThat(out).as("the oldest held has waited 100 ms").containsExactly(100, 102, 103);
        assertThat(order.counts.lost.get()).isOne();
        add(101, 120);
        assertThat(order.counts.late.get()).isOne();
        add(104, 130);
        assertThat(out).containsExactly(100, 102, 103, 104);
    }

    @Test
    void aFullWindowGivesTheGapUpWithoutWaiting() {
        add(0, 0);
        for (int s = 2; s <= RtpReorder.WINDOW; s++) {
            add(s, 1);
        }
        assertThat(out).containsExactly(0);
        add(RtpReorder.WINDOW + 1, 1);
        assertThat(out).hasSize(RtpReorder.WINDOW + 1).endsWith(RtpReorder.WINDOW + 1).doesNotContain(1);
        assertThat(order.counts.lost.get()).isOne();
    }

    @Test
    void theSequenceWrapsAt65536() {
        add(65534, 0);
        add(0, 1);
        add(65535, 2);
        add(1, 3);
        assertThat(out).containsExactly(65534, 65535, 0, 1);
        assertThat(order.counts.lost.get() + order.counts.late.get()).isZero();
    }

    @Test
    void aSenderThatStartsAgainIsFollowedNotDropped() {
        add(40_000, 0);
        add(40_002, 1);
        add(7, 2);   // the encoder restarted with a new sequence
        add(8, 3);
        assertThat(out).containsExactly(40_000, 40_002, 7, 8);
        assertThat(order.counts.restarts.get()).isOne();
    }

    @Test
    void whatIsHeldGoesOnWhenTheStreamEnds() {
        add(1, 0);
        add(3, 0);
        add(4, 0);
        order.flushAll();
        assertThat(out).containsExactly(1, 3, 4);
        assertThat(order.waiting()).isFalse();
    }
}
