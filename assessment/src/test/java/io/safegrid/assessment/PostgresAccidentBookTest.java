package io.safegrid.assessment;

import static io.safegrid.assessment.Fixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.safegrid.assessment.accident.AccidentBook;
import io.safegrid.model.assessment.Accident;
import io.safegrid.model.assessment.AccidentSeverity;
import io.safegrid.model.hazard.Actor;
import io.safegrid.testing.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The accident register (and the schedule's table beside it) on a real PostgreSQL server, migrated by Flyway. */
class PostgresAccidentBookTest {

    @Test
    void accidentsAndTheirHistoryRoundTripOnPostgres() throws Exception {
        Assumptions.assumeTrue(PostgresServer.binaries().isPresent(),
                "no PostgreSQL server in /usr/lib/postgresql (apt-get install postgresql); skipping");
        try (PostgresServer pg = PostgresServer.start()) {
            String url = pg.freshDatabase("assessment");
            Clock clock = Clock.fixed(T, ZoneOffset.UTC);
            AccidentBook.open(url, "safegrid", "", clock);
            AccidentBook book = AccidentBook.open(url, "safegrid", "", clock); // a second start migrates nothing
            Accident a = book.record(new Actor("wang-fang", CTY, true), E3, AccidentSeverity.FATAL, 2, day(50), "井下冒顶");
            book.record(new Actor("wang-fang", CTY, true), E1, AccidentSeverity.SERIOUS, 0, day(51), "机械伤害");
            assertThat(book.within(T2, F, T)).containsExactly(a);
            assertThat(book.within(CTY, F, T)).hasSize(2);
            assertThat(book.within(CTY, T, T.plusSeconds(1))).isEmpty();
            assertThat(book.history(a.id())).singleElement().asString().contains("wang-fang", "recorded", "井下冒顶");
            assertThatThrownBy(() -> book.record(new Actor("wang-fang", CTY, true), E1, AccidentSeverity.FATAL, 0, day(1), "x"))
                    .isInstanceOf(IllegalArgumentException.class);
            try (Connection c = book.connect(); ResultSet r = c.createStatement().executeQuery("SELECT COUNT(*) FROM report_sent")) {
                r.next();
                assertThat(r.getInt(1)).isZero();
            }
        }
    }
}
