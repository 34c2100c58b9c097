package io.safegrid.alerting.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.alerting.Fixture;
import io.safegrid.alerting.Recorder;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmFacts;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.grid.GridPath;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger read in bulk, beside the running ledger: the first acknowledgement and a climb to the county. */
class LedgerFactsTest {
    @TempDir
    Path dir;
    Fixture fx;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void anAlarmThatClimbedToTheCountyAndWasAcknowledgedAfterwardsReadsBackSo() throws Exception {
        fx = new Fixture(dir, new Recorder()).start();
        Instant start = fx.clock.instant();
        fx.publish(fx.methane(Level.YELLOW, Condition.ACTIVE, 1.0));
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.service.list(AlarmQuery.all()).total() == 1);
        Alarm a = fx.service.list(AlarmQuery.all()).items().get(0);
        fx.clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> escalations(a.id()) == 1);
        fx.clock.advance(Duration.ofMinutes(15));
        await().atMost(Duration.ofSeconds(30)).until(() -> escalations(a.id()) == 2);
        fx.clock.advance(Duration.ofMinutes(1));
        fx.service.acknowledge(a.id(), "xian", "县值班室已调度");

        LedgerFacts facts = LedgerFacts.embedded(dir);
        Instant from = start.minus(Duration.ofHours(1));
        Instant to = start.plus(Duration.ofHours(1));
        List<AlarmFacts.Fact> got = new ArrayList<>();
        facts.scan(Fixture.TOWN, from, to, got::add);
        assertThat(got).hasSize(1);
        AlarmFacts.Fact f = got.get(0);
        assertThat(f.id()).isEqualTo(a.id());
        assertThat(f.site()).isEqualTo(a.site());
        assertThat(f.level()).isEqualTo(Level.YELLOW);
        assertThat(f.reachedCounty()).isTrue();
        assertThat(Duration.between(f.raisedAt(), f.acknowledgedAt())).isEqualTo(Duration.ofMinutes(31).plusSeconds(1));
        assertThat(facts.count(Fixture.TOWN, from, to)).isEqualTo(1);
        assertThat(facts.count(GridPath.of("puxian"), from, to)).isEqualTo(1);

        List<AlarmFacts.Fact> none = new ArrayList<>();
        facts.scan(GridPath.parse("puxian/keliqiao_x"), from, to, none::add);
        facts.scan(Fixture.TOWN, to, to.plus(Duration.ofHours(1)), none::add);
        assertThat(none).isEmpty();
        assertThat(facts.count(GridPath.parse("puxian/other"), from, to)).isZero();
    }

    private long escalations(String id) {
        return fx.service.timeline(id).stream().filter(e -> e.type() == AlarmEvent.Type.ESCALATED).count();
    }
}
