package io.safegrid.cascade.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonMappingException;
import io.safegrid.model.Level;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireTest {
    private final Finding finding = new Finding("f-1", FindingKind.THRESHOLD, Level.RED, Condition.ACTIVE, "ch4-1",
            GridPath.parse("xian/town/mine"), "methane", null, 1.6, 1.5, Instant.parse("2026-03-01T08:00:00Z"),
            "甲烷超限", null, Map.of());

    @Test
    void aGridPathTravelsAsItsText() throws Exception {
        String json = new String(Wire.encode(Message.of(finding)), StandardCharsets.UTF_8);
        assertThat(json).contains("\"site\":\"xian/town/mine\"");
        Message back = Wire.JSON.readValue(json, Message.class);
        assertThat(back.finding().site()).isEqualTo(finding.site());
    }

    @Test
    void aMessageWithABadGridPathIsRefused() {
        String json = new String(Wire.encode(Message.of(finding)), StandardCharsets.UTF_8)
                .replace("\"site\":\"xian/town/mine\"", "\"site\":\"Xian//Mine\"");
        assertThatThrownBy(() -> Wire.JSON.readValue(json, Message.class))
                .isInstanceOf(JsonMappingException.class).hasMessageContaining("bad grid id");
        String object = json.replace("\"site\":\"Xian//Mine\"", "\"site\":{\"segments\":[\"xian\"]}");
        assertThatThrownBy(() -> Wire.JSON.readValue(object, Message.class)).isInstanceOf(JsonMappingException.class);
    }
}
