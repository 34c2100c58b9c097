package io.safegrid.cascade.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.config.AlarmsConfig;
import io.safegrid.testing.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** On the embedded H2 file and, where {@code alarms.store} names one, on the alarm store's PostgreSQL server. */
@ParameterizedClass
@ValueSource(strings = {"h2", "postgresql"})
class LinkStoreTest {
    @TempDir
    Path dir;
    @Parameter
    String kind;
    AlarmsConfig alarms;

    @BeforeEach
    void store() throws Exception {
        alarms = kind.equals("h2") ? AlarmsConfig.defaults()
                : AlarmsConfig.at(PostgresServer.sharedDatabase("cascade"), "safegrid", "");
    }

    LinkStore open(long maxBytes) throws Exception {
        return LinkStore.open(dir, alarms, maxBytes);
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<String> bodies(List<LinkStore.Entry> entries) {
        return entries.stream().map(e -> new String(e.body(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void queuedMessagesAndTheAppliedMarkSurviveAReopen() throws Exception {
        try (LinkStore s = open(1 << 20)) {
            assertThat(s.append("county", text("a")).seq()).isEqualTo(1);
            assertThat(s.append("county", text("b")).seq()).isEqualTo(2);
            assertThat(s.append("county", text("c")).seq()).isEqualTo(3);
            s.acknowledged("county", 1);
            s.applied("mine", 41);
        }
        try (LinkStore s = open(1 << 20)) {
            assertThat(s.depth("county")).isEqualTo(2);
            assertThat(s.bytes("county")).isEqualTo(2);
            assertThat(bodies(s.after("county", 0, 10))).containsExactly("b", "c");
            assertThat(s.lastApplied("mine")).isEqualTo(41);
            // numbering goes on after the reopen, even once the queue is empty
            s.acknowledged("county", 3);
            assertThat(s.depth("county")).isZero();
            assertThat(s.append("county", text("d")).seq()).isEqualTo(4);
        }
    }

    @Test
    void afterReadsInOrderFromASequenceAndPeersAreSeparate() throws Exception {
        try (LinkStore s = open(1 << 20)) {
            for (int i = 1; i <= 5; i++) {
                s.append("a", text("a" + i));
            }
            s.append("b", text("b1"));
            assertThat(bodies(s.after("a", 2, 2))).containsExactly("a3", "a4");
            assertThat(bodies(s.after("b", 0, 10))).containsExactly("b1");
            assertThat(s.depth("a")).isEqualTo(5);
            assertThat(s.depth("b")).isEqualTo(1);
        }
    }

    @Test
    void pastItsBoundAPeersQueueDropsItsOldestMessagesAndSaysHowMany() throws Exception {
        try (LinkStore s = open(100)) {
            for (int i = 0; i < 10; i++) {
                assertThat(s.append("county", new byte[10]).dropped()).isZero();
            }
            LinkStore.Appended a = s.append("county", new byte[25]);
            assertThat(a.seq()).isEqualTo(11);
            assertThat(a.dropped()).isEqualTo(3);
            assertThat(s.bytes("county")).isEqualTo(95);
            assertThat(s.after("county", 0, 100)).extracting(LinkStore.Entry::seq)
                    .containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
        }
    }
}
