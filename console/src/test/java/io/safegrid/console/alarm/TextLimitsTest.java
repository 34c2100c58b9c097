package io.safegrid.console.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.console.ConsoleFixture;
import io.safegrid.model.Level;
import io.safegrid.model.grid.GridPath;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Oversized text is refused before the alarm store sees it, and no store message ever reaches a client. */
class TextLimitsTest {
    ConsoleFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new ConsoleFixture();
        f.desk.raise("a-1", "kc-ch4-t1", GridPath.parse("puxian/kecheng/dongyu/kecheng-coal"), Level.RED,
                ConsoleFixture.START);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void aCommentOver4000CharactersIsA400AndNeverReachesTheStore() throws Exception {
        HttpResponse<String> r = f.post("zheng-ming", "/api/v1/alarms/a-1/comment", "{\"text\":\"" + "瓦".repeat(4001) + "\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"key\":\"textTooLong\"", "text is 4001 characters long; at most 4000");
        assertThat(f.post("zheng-ming", "/api/v1/alarms/a-1/ack", "{\"note\":\"" + "x".repeat(5000) + "\"}").statusCode())
                .isEqualTo(400);
        assertThat(f.post("zheng-ming", "/api/v1/alarms/a-1/close", "{\"note\":\"" + "x".repeat(4001) + "\"}").statusCode())
                .isEqualTo(400);
        assertThat(f.post("zheng-ming", "/api/v1/alarms/a-1/assign", "{\"assignee\":\"" + "x".repeat(201) + "\"}").statusCode())
                .isEqualTo(400);
        assertThat(f.post("zheng-ming", "/api/v1/silences", "{\"node\":\"puxian/kecheng\",\"reason\":\"" + "x".repeat(2001)
                + "\",\"expiresAt\":\"2026-11-29T16:00:00Z\"}").statusCode()).isEqualTo(400);
        assertThat(f.post(null, "/api/v1/login", "{\"user\":\"" + "x".repeat(201) + "\",\"password\":\"x\"}").statusCode())
                .isEqualTo(400);
        assertThat(f.desk.changes).as("the store was never asked").isEmpty();

        HttpResponse<String> fits = f.post("zheng-ming", "/api/v1/alarms/a-1/comment", "{\"text\":\"" + "瓦".repeat(4000) + "\"}");
        assertThat(fits.statusCode()).isEqualTo(200);
        assertThat(f.desk.changes).containsExactly("comment");
    }

    @Test
    void aStoreFailureIsA503WithoutTheStoresWords() throws Exception {
        f.desk.storeFailure = new IllegalStateException("alarm store failed: Value too long for column \"NOTE CHARACTER "
                + "VARYING(4000)\": SQL statement: INSERT INTO alarm_event (alarm_id, note) VALUES (?, ?) [22001-232]",
                new SQLException("Value too long for column; SQL statement: INSERT INTO alarm_event [22001-232]", "22001"));
        HttpResponse<String> r = f.post("zheng-ming", "/api/v1/alarms/a-1/comment", "{\"text\":\"短备注\"}");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("\"key\":\"storeUnavailable\"")
                .doesNotContainIgnoringCase("sql").doesNotContain("INSERT", "22001", "232", "VARYING", "alarm_event");
        HttpResponse<String> silence = f.post("zheng-ming", "/api/v1/silences",
                "{\"node\":\"puxian/kecheng\",\"reason\":\"检修\",\"expiresAt\":\"2026-11-29T16:00:00Z\"}");
        assertThat(silence.statusCode()).isEqualTo(503);
        assertThat(silence.body()).doesNotContainIgnoringCase("sql").doesNotContain("INSERT");
    }

    @Test
    void theDesksOwnRefusalsStillSayWhy() throws Exception {
        HttpResponse<String> r = f.post("zheng-ming", "/api/v1/alarms/a-1/close", "{\"note\":\"处置完毕\"}");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("must be acknowledged before it is closed");
    }
}
