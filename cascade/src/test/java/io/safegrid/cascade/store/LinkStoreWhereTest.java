package io.safegrid.cascade.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.config.AlarmsConfig;
import io.safegrid.testing.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the link store's tables are: the alarm store's PostgreSQL database, or an H2 file made before Flyway. */
class LinkStoreWhereTest {
    @TempDir
    Path dir;

    @Test
    void onPostgreSqlTheMarksAreInTheAlarmStoreNotInAFile() throws Exception {
        AlarmsConfig alarms = AlarmsConfig.at(PostgresServer.sharedDatabase("cascade"), "safegrid", "");
        try (LinkStore s = LinkStore.open(dir, alarms, 1 << 20)) {
            s.append("county", LinkStoreTest.text("a"));
            s.applied("mine", 7);
        }
        assertThat(dir.resolve("cascade.mv.db")).doesNotExist();
        try (Connection c = DriverManager.getConnection(alarms.url(), alarms.user(), alarms.password());
             Statement st = c.createStatement();
             java.sql.ResultSet r = st.executeQuery("SELECT last_seq FROM cascade_applied WHERE peer = 'mine'")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getLong(1)).isEqualTo(7);
        }
    }

    @Test
    void anH2FileFromBeforeFlywayKeepsItsQueueAndMarks() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.toAbsolutePath().resolve("cascade"), "sa", "");
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE queue (peer VARCHAR(64) NOT NULL, seq BIGINT NOT NULL, body VARBINARY(67108864) NOT NULL,"
                    + " bytes INT NOT NULL, PRIMARY KEY (peer, seq))");
            st.execute("CREATE TABLE queue_head (peer VARCHAR(64) PRIMARY KEY, last_seq BIGINT NOT NULL)");
            st.execute("CREATE TABLE applied (peer VARCHAR(64) PRIMARY KEY, last_seq BIGINT NOT NULL)");
            st.execute("INSERT INTO queue VALUES ('county', 5, X'62', 1)");
            st.execute("INSERT INTO queue_head VALUES ('county', 5)");
            st.execute("INSERT INTO applied VALUES ('mine', 41)");
        }
        try (LinkStore s = new LinkStore(dir, 1 << 20)) {
            assertThat(LinkStoreTest.bodies(s.after("county", 0, 10))).containsExactly("b");
            assertThat(s.depth("county")).isEqualTo(1);
            assertThat(s.lastApplied("mine")).isEqualTo(41);
            assertThat(s.append("county", LinkStoreTest.text("c")).seq()).isEqualTo(6);
        }
    }
}
