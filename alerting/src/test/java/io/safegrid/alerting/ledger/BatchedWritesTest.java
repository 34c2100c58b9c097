package io.safegrid.alerting.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.safegrid.alerting.Fixture;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.finding.FindingKind;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On PostgreSQL a raise's writes (alarm row, timeline line, escalation timer, outbox row claimed)
 * reach the server in one round trip that also commits them, and they stay one transaction: all or
 * none. Round trips are counted on the wire, as PostgreSQL's Sync and simple-query messages the
 * driver sends through a relay.
 */
class BatchedWritesTest {
    static final Instant NOW = Instant.parse("2026-12-06T23:00:00Z");

    @TempDir
    Path dir;
    CountedWire wire;
    AlarmStore store;

    @BeforeEach
    void open() throws Exception {
        wire = new CountedWire(dir);
        store = AlarmStore.open(dir, wire.relayed);
    }

    @AfterEach
    void close() throws Exception {
        store.close();
        wire.close();
    }

    Alarm alarm(String id) {
        return new Alarm(id, "k-" + id, FindingKind.THRESHOLD, Level.RED, Level.RED, AlarmState.RAISED, false, "ch4-1",
                Fixture.MINE, "methane", "甲烷 1.6%", 1.6, 1.6, 1.5, 1, NOW, NOW, NOW, null);
    }

    void raise(Alarm a, long seq, long rowId) throws SQLException {
        store.upsert(a);
        store.append(new AlarmEvent(seq, AlarmEvent.Type.RAISED, a.id(), NOW, Draft.SYSTEM, null, a));
        store.setEscalation(a.id(), 0, NOW.plusSeconds(300));
        OutboxRows.queue(store, rowId, new OutboxRowsTest().pending(a.id(), "sms"), NOW, true);
        store.commit();
    }

    @Test
    void aRaiseIsOneRoundTripThatCommits() throws Exception {
        int before = wire.mark();
        raise(alarm("a1"), 1, 1);
        assertThat(wire.roundTripsSince(before)).isEqualTo(1);

        assertThat(store.alarm("a1")).isPresent();
        assertThat(store.escalations()).containsKey("a1");
        assertThat(OutboxRows.row(store.reader(), 1).status()).isEqualTo(io.safegrid.alerting.outbox.Delivery.Status.SENDING);
        assertThat(store.timeline(alarm("a1"))).extracting(AlarmEvent::sequence).containsExactly(1L);
    }

    @Test
    void aFailingStatementLeavesNothingOfTheRaise() throws Exception {
        raise(alarm("a1"), 1, 1);
        // the timeline line's sequence is taken: the alarm row and timer queued before it must not stay either
        assertThatThrownBy(() -> raise(alarm("a2"), 1, 2)).isInstanceOf(SQLException.class);
        store.rollback();
        assertThat(store.alarm("a2")).isEmpty();
        assertThat(store.escalations()).doesNotContainKey("a2");
        assertThat(OutboxRows.ofAlarm(store.reader(), "a2")).isEmpty();

        raise(alarm("a3"), 2, 2); // the connection goes on
        assertThat(store.alarm("a3")).isPresent();
    }

    @Test
    void aReadInTheTransactionSeesItsQueuedWrites() throws Exception {
        store.upsert(alarm("a1"));
        assertThat(store.alarm("a1")).isPresent();
        store.rollback();
        assertThat(store.alarm("a1")).isEmpty();
    }
}
