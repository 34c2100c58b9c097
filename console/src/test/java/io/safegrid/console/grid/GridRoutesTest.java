package io.safegrid.console.grid;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.safegrid.console.ConsoleFixture;
import io.safegrid.model.Level;
import io.safegrid.model.grid.GridPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GridRoutesTest {
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

    static JsonNode find(JsonNode nodes, String path) {
        for (JsonNode n : nodes) {
            if (n.get("path").asText().equals(path)) {
                return n;
            }
            if (n.has("children")) {
                JsonNode c = find(n.get("children"), path);
                if (c != null) {
                    return c;
                }
            }
        }
        return null;
    }

    @Test
    void everyNodeRollsUpActiveAlarmsByColourAndAcknowledgedStillCountsUntilCleared() throws Exception {
        GridPath coal = GridPath.parse("puxian/kecheng/dongyu/kecheng-coal");
        f.desk.raise("a1", "kc-ch4-t1", coal, Level.RED, ConsoleFixture.START);
        f.desk.raise("a2", "kc-co-1", coal, Level.YELLOW, ConsoleFixture.START);
        f.desk.raise("a3", "hd-t101-level", GridPath.parse("puxian/pucheng/xiangyang/hongda-chem"), Level.YELLOW,
                ConsoleFixture.START);
        f.desk.acknowledge("a2", "test", null);
        f.desk.raise("a4", "kc-temp-1", coal, Level.BLUE, ConsoleFixture.START);
        f.desk.acknowledge("a4", "test", null);
        f.desk.close("a4", "test", "done");

        JsonNode county = json.readTree(f.get("wang-fang", "/api/v1/grid").body());
        assertThat(find(county, "puxian").get("active").toString()).isEqualTo("{\"red\":1,\"orange\":0,\"yellow\":2,\"blue\":0}");
        assertThat(find(county, "puxian").get("unacknowledged").toString())
                .isEqualTo("{\"red\":1,\"orange\":0,\"yellow\":1,\"blue\":0}");
        assertThat(find(county, "puxian/kecheng/dongyu").get("active").get("red").asInt()).isEqualTo(1);
        assertThat(find(county, "puxian/pucheng").get("active").get("yellow").asInt()).isEqualTo(1);
        assertThat(find(county, "puxian/pucheng/xiangyang/hongda-chem").get("lat").asDouble()).isEqualTo(36.3987);

        JsonNode township = json.readTree(f.get("zheng-ming", "/api/v1/grid").body());
        assertThat(township).hasSize(1);
        assertThat(township.get(0).get("path").asText()).isEqualTo("puxian/kecheng");
        assertThat(find(township, "puxian/pucheng")).isNull();
        assertThat(find(township, "puxian")).isNull();
    }
}
