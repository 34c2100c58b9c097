package io.safegrid.console.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.safegrid.console.ConsoleFixture;
import io.safegrid.model.Level;
import io.safegrid.model.grid.GridPath;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatsRoutesTest {
    static final GridPath COAL = GridPath.parse("puxian/kecheng/dongyu/kecheng-coal");
    static final GridPath HONGDA = GridPath.parse("puxian/pucheng/xiangyang/hongda-chem");
    ConsoleFixture f;
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws Exception {
        f = new ConsoleFixture();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void countsPerTownshipPerLocalDayAckTimesAndOverdueByLevelTimeout() throws Exception {
        // 16:00Z = 00:00 next day in Shanghai: these two fall on different local days
        f.desk.raise("d1", "kc-ch4-t1", COAL, Level.RED, ConsoleFixture.START.minus(Duration.ofMinutes(30)));
        f.desk.raise("d2", "kc-co-1", COAL, Level.BLUE, ConsoleFixture.START.plus(Duration.ofMinutes(1)));
        f.desk.raise("d3", "hd-t101-level", HONGDA, Level.YELLOW, ConsoleFixture.START.plus(Duration.ofMinutes(2)));
        f.desk.raise("d4", "kc-temp-1", COAL, Level.ORANGE, ConsoleFixture.START.plus(Duration.ofMinutes(3)));
        f.clock.advance(Duration.ofMinutes(3));
        f.desk.acknowledge("d4", "zheng-ming", null);          // 0 min after raise
        f.clock.advance(Duration.ofMinutes(7));
        f.desk.acknowledge("d3", "wang-fang", null);           // 8 min
        f.clock.advance(Duration.ofMinutes(10));               // now START+20min
        f.desk.acknowledge("d1", "wang-fang", null);           // 50 min
        // overdue now: none of d1, d3, d4 (acknowledged); d2 blue raised 19 min ago < 30 min
        JsonNode s = json.readTree(f.get("wang-fang", "/api/v1/stats?from=2026-11-28T00:00:00Z").body());
        assertThat(s.get("alarmsPerTownshipPerDay").get("puxian/kecheng").toString())
                .isEqualTo("{\"2026-11-28\":1,\"2026-11-29\":2}");
        assertThat(s.get("alarmsPerTownshipPerDay").get("puxian/pucheng").toString()).isEqualTo("{\"2026-11-29\":1}");
        assertThat(s.get("timeToAcknowledge").get("samples").asInt()).isEqualTo(3);
        assertThat(s.get("timeToAcknowledge").get("medianSeconds").asLong()).isEqualTo(8 * 60);
        assertThat(s.get("timeToAcknowledge").get("p90Seconds").asLong()).isEqualTo(50 * 60);
        assertThat(s.get("overdueTotal").asInt()).isZero();

        f.clock.advance(Duration.ofMinutes(12));               // d2 blue: 31 min unacknowledged
        JsonNode later = json.readTree(f.get("zheng-ming", "/api/v1/stats").body());
        assertThat(later.get("overdueTotal").asInt()).isEqualTo(1);
        assertThat(later.get("overduePerNode").get("puxian/kecheng").asInt()).isEqualTo(1);
        assertThat(later.get("overduePerNode").get("puxian/kecheng/dongyu/kecheng-coal").asInt()).isEqualTo(1);
        assertThat(later.get("overduePerNode").has("puxian")).isFalse();
        assertThat(later.get("alarmsPerTownshipPerDay").has("puxian/pucheng")).isFalse();
    }

    @Test
    void percentileIsNearestRank() {
        assertThat(StatsRoutes.percentile(List.of(), 0.5)).isNull();
        assertThat(StatsRoutes.percentile(List.of(5L), 0.9)).isEqualTo(5L);
        assertThat(StatsRoutes.percentile(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), 0.9)).isEqualTo(9L);
        assertThat(StatsRoutes.percentile(List.of(1L, 2L, 3L, 4L), 0.5)).isEqualTo(2L);
    }
}
