package io.safegrid.alerting.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.alerting.Fixture;
import io.safegrid.alerting.Stores;
import io.safegrid.config.AlarmsConfig;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmFacts;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.finding.FindingKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The first acknowledgement and the climb to the county live on the alarm row (V4): kept as the
 * events are written, and filled in by the migration for a ledger written before it, on H2 and
 * PostgreSQL; the assessment's scan reads them off the row.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Stores.class)
class AlarmFactsColumnsTest {
    static final Instant T = Instant.parse("2026-11-29T02:00:00Z");
    static final String TO_COUNTY = "升级至县 [puxian]（15 分钟未确认）/ escalated to county [puxian], unacknowledged for PT15M";
    static final String TO_TOWN = "升级至乡镇 [puxian/kecheng]（15 分钟未确认）/ escalated to township [puxian/kecheng], unacknowledged for PT15M";
    @Parameter
    Stores stores;
    AlarmsConfig config;
    @TempDir
    Path dir;

    @BeforeEach
    void fresh() throws Exception {
        config = stores.fresh();
    }

    static Alarm alarm(String id, boolean acked) {
        return new Alarm(id, id + "|methane|", FindingKind.THRESHOLD, Level.RED, Level.RED,
                acked ? AlarmState.ACKNOWLEDGED : AlarmState.RAISED, acked, "ch4-1", Fixture.MINE, "methane", "甲烷 1.6%",
                1.6, 1.6, 1.5, 1, T, T, T, null);
    }

    @Test
    void theLedgerKeepsThemAsTheEventsAreWritten() throws Exception {
        try (AlarmStore s = AlarmStore.open(dir, config)) {
            Alarm a = alarm("a1", false);
            s.append(AlarmEvent.Type.RAISED, a, T, "system", "raised");
            s.upsert(a);
            Alarm b = alarm("b1", false);
            s.append(AlarmEvent.Type.RAISED, b, T, "system", "raised");
            s.upsert(b);
            s.commit();
            s.append(AlarmEvent.Type.ESCALATED, a, T.plusSeconds(900), "system", TO_TOWN);
            s.upsert(a);
            s.append(AlarmEvent.Type.ESCALATED, b, T.plusSeconds(900), "system", TO_TOWN);
            s.upsert(b);
            s.commit();
            s.append(AlarmEvent.Type.ESCALATED, a, T.plusSeconds(1800), "system", TO_COUNTY);
            s.upsert(a);
            s.commit();
            Alarm acked = alarm("a1", true);
            s.append(AlarmEvent.Type.ACKNOWLEDGED, acked, T.plusSeconds(1860), "xian", "已调度");
            s.upsert(acked);
            s.append(AlarmEvent.Type.COMMENTED, acked, T.plusSeconds(1900), "xian", "escalated to county earlier");
            s.upsert(acked);
            s.commit();
        }
        Map<String, AlarmFacts.Fact> got = facts();
        assertThat(got.get("a1").acknowledgedAt()).isEqualTo(T.plusSeconds(1860));
        assertThat(got.get("a1").reachedCounty()).isTrue();
        assertThat(got.get("b1").acknowledgedAt()).isNull();
        assertThat(got.get("b1").reachedCounty()).as("a township is not the county").isFalse();
    }

    /** The ledger's own path: events numbered by the ledger, held back on PostgreSQL and sent in one round trip. */
    @Test
    void theLedgersNumberedEventsKeepThemToo() throws Exception {
        try (AlarmStore s = AlarmStore.open(dir, config)) {
            Alarm a = alarm("a1", false);
            Alarm b = alarm("b1", false);
            s.upsert(a);
            s.append(new AlarmEvent(1, AlarmEvent.Type.RAISED, "a1", T, "system", "raised", a));
            s.upsert(b);
            s.append(new AlarmEvent(2, AlarmEvent.Type.RAISED, "b1", T, "system", "raised", b));
            s.commit();
            s.append(new AlarmEvent(3, AlarmEvent.Type.ESCALATED, "a1", T.plusSeconds(1800), "system", TO_COUNTY, a));
            s.append(new AlarmEvent(4, AlarmEvent.Type.ESCALATED, "b1", T.plusSeconds(900), "system", TO_TOWN, b));
            s.commit();
            Alarm acked = alarm("a1", true);
            s.upsert(acked);
            s.append(new AlarmEvent(5, AlarmEvent.Type.ACKNOWLEDGED, "a1", T.plusSeconds(1860), "xian", "已调度", acked));
            s.commit();
        }
        Map<String, AlarmFacts.Fact> got = facts();
        assertThat(got.get("a1").acknowledgedAt()).isEqualTo(T.plusSeconds(1860));
        assertThat(got.get("a1").reachedCounty()).isTrue();
        assertThat(got.get("b1").acknowledgedAt()).isNull();
        assertThat(got.get("b1").reachedCounty()).isFalse();
    }

    @Test
    void theMigrationFillsThemInForALedgerWrittenBeforeIt() throws Exception {
        String url = config.url() == null ? AlarmStore.url(Files.createDirectories(dir)) : config.url();
        String user = config.url() == null ? "sa" : config.user();
        String password = config.password() == null ? "" : config.password();
        Flyway.configure(getClass().getClassLoader()).dataSource(url, user, password)
                .locations("classpath:io/safegrid/alerting/db").table(Migrations.HISTORY).target("3").load().migrate();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            for (String id : new String[] {"a1", "b1"}) {
                st.executeUpdate("INSERT INTO alarm (id, akey, kind, level, peak_level, state, acknowledged, source_id, site,"
                        + " rule, cnt, raised_at, last_seen, updated_at) VALUES ('" + id + "', 'k-" + id + "', 'THRESHOLD',"
                        + " 'RED', 'RED', 'CLOSED', " + id.equals("a1") + ", 'ch4-1', '" + Fixture.MINE + "', 'methane', 1, "
                        + T.toEpochMilli() + ", " + T.toEpochMilli() + ", " + T.toEpochMilli() + ")");
            }
            event(st, "a1", "ESCALATED", T.plusSeconds(1800), TO_COUNTY);
            event(st, "a1", "ACKNOWLEDGED", T.plusSeconds(1860), "已调度");
            event(st, "a1", "ACKNOWLEDGED", T.plusSeconds(2400), "again, after a reopen");
            event(st, "b1", "ESCALATED", T.plusSeconds(900), TO_TOWN);
        }
        AlarmStore.open(dir, config).close();
        Map<String, AlarmFacts.Fact> got = facts();
        assertThat(got.get("a1").acknowledgedAt()).isEqualTo(T.plusSeconds(1860));
        assertThat(got.get("a1").reachedCounty()).isTrue();
        assertThat(got.get("b1").acknowledgedAt()).isNull();
        assertThat(got.get("b1").reachedCounty()).isFalse();
    }

    private static void event(Statement st, String id, String type, Instant at, String note) throws Exception {
        st.executeUpdate("INSERT INTO alarm_event (alarm_id, type, time, actor, note, level, state, acknowledged, cnt)"
                + " VALUES ('" + id + "', '" + type + "', " + at.toEpochMilli() + ", 'x', '" + note + "', 'RED', 'RAISED', false, 1)");
    }

    private Map<String, AlarmFacts.Fact> facts() {
        LedgerFacts facts = config.url() == null ? LedgerFacts.embedded(dir)
                : new LedgerFacts(config.url(), config.user(), config.password() == null ? "" : config.password());
        Map<String, AlarmFacts.Fact> got = new HashMap<>();
        facts.scan(Fixture.TOWN, T.minus(Duration.ofHours(1)), T.plus(Duration.ofHours(1)), f -> got.put(f.id(), f));
        assertThat(got).containsOnlyKeys("a1", "b1");
        return got;
    }
}
