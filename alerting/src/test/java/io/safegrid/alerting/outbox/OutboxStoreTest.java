package io.safegrid.alerting.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.alerting.Fixture;
import io.safegrid.alerting.notify.Message;
import io.safegrid.alerting.notify.MessageRenderer;
import io.safegrid.config.Deployment;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.finding.FindingKind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxStoreTest {
    static final Instant NOW = Instant.parse("2026-11-29T02:00:00Z");
    final Deployment county = Fixture.deployment(List.of(), List.of(), List.of());

    @TempDir
    Path dir;

    Connection open() throws Exception {
        Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("alarms").toAbsolutePath() + ";WRITE_DELAY=0", "sa", "");
        c.setAutoCommit(false);
        return c;
    }

    Pending pending(String alarmId, String channel) {
        Alarm a = new Alarm(alarmId, "k", FindingKind.THRESHOLD, Level.RED, Level.RED, AlarmState.RAISED, false, "ch4-1",
                Fixture.MINE, "methane", "甲烷 1.6%", 1.6, 1.6, 1.5, 1, NOW, NOW, NOW, null);
        Message m = MessageRenderer.message(county, a, new AlarmEvent(1, AlarmEvent.Type.RAISED, alarmId, NOW, "system", null, a),
                Fixture.MINE.toString());
        return new Pending("kzs", channel, "webhook", null, m);
    }

    @Test
    void aStoreWithClobMessagesIsMovedToVarcharAndKeepsItsQueuedNotifications() throws Exception {
        Pending queued = pending("a1", "sms");
        try (Connection c = open(); Statement s = c.createStatement()) {
            // the table as stores made before 2026-11-29 have it
            s.execute("""
                    CREATE TABLE notification (
                      id BIGINT AUTO_INCREMENT PRIMARY KEY, idem_key VARCHAR(1000) NOT NULL,
                      alarm_id VARCHAR(64) NOT NULL, event_seq BIGINT NOT NULL, recipient VARCHAR(200) NOT NULL,
                      channel_id VARCHAR(200) NOT NULL, channel_type VARCHAR(40) NOT NULL, address VARCHAR(1000),
                      message CHARACTER LARGE OBJECT NOT NULL, status VARCHAR(16) NOT NULL, attempts INT NOT NULL,
                      created_at BIGINT NOT NULL, next_at BIGINT NOT NULL, last_error VARCHAR(2000), done_at BIGINT,
                      CONSTRAINT notification_key UNIQUE (idem_key))""");
            OutboxStore.insert(c, queued, NOW, false);
            c.commit();
        }
        try (Connection c = open(); Statement s = c.createStatement()) {
            OutboxStore.create(c);
            c.commit();
            try (ResultSet r = s.executeQuery("SELECT DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS"
                    + " WHERE TABLE_NAME = 'NOTIFICATION' AND COLUMN_NAME = 'MESSAGE'")) {
                r.next();
                assertThat(r.getString(1)).isEqualTo("CHARACTER VARYING");
            }
            List<Delivery> waiting = OutboxStore.inStatus(c, Delivery.Status.QUEUED);
            assertThat(waiting).singleElement().satisfies(d -> {
                assertThat(d.message()).isEqualTo(queued.message());
                assertThat(d.key()).isEqualTo(queued.key());
            });
        }
    }

    @Test
    void aChannelsNextDueRowIsItsOldestQueuedOrRetryingOneThatIsDue() throws Exception {
        try (Connection c = open()) {
            OutboxStore.create(c);
            long sent = OutboxStore.insert(c, pending("a1", "sms"), NOW.minusSeconds(60), false);
            OutboxStore.finish(c, sent, Delivery.Status.SENT, null, NOW);
            long retrying = OutboxStore.insert(c, pending("a2", "sms"), NOW.minusSeconds(50), false);
            OutboxStore.retryAt(c, retrying, NOW.minusSeconds(5), "gateway busy");
            long later = OutboxStore.insert(c, pending("a3", "sms"), NOW.minusSeconds(40), false);
            OutboxStore.retryAt(c, later, NOW.plusSeconds(30), "gateway busy");
            long queued = OutboxStore.insert(c, pending("a4", "sms"), NOW.minusSeconds(2), false);
            OutboxStore.insert(c, pending("a5", "email"), NOW.minusSeconds(90), false);
            c.commit();

            assertThat(OutboxStore.nextDue(c, "sms", NOW).id()).as("retry due 5 s ago before the row queued 2 s ago").isEqualTo(retrying);
            OutboxStore.finish(c, retrying, Delivery.Status.SENT, null, NOW);
            assertThat(OutboxStore.nextDue(c, "sms", NOW).id()).isEqualTo(queued);
            OutboxStore.finish(c, queued, Delivery.Status.SENT, null, NOW);
            assertThat(OutboxStore.nextDue(c, "sms", NOW)).as("the last retry is not due yet").isNull();
            assertThat(OutboxStore.nextDue(c, "sms", NOW.plusSeconds(31)).id()).isEqualTo(later);
            assertThat(OutboxStore.due(c, NOW, 10)).extracting(OutboxStore.Due::channelId).containsExactly("email");
        }
    }
}
