package io.safegrid.picture;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.model.Level;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A published finding's box, found at one resolution, drawn on a picture of another. */
class MarkTest {
    static Finding finding(Map<String, String> details) {
        return new Finding("f-1", FindingKind.INTRUSION, Level.ORANGE, Condition.ACTIVE, "cam-1",
                GridPath.parse("county/town/plant-1"), "video-intrusion", "gate", 1, 0, Instant.EPOCH, "someone", null, details);
    }

    @Test
    void theBoxIsScaledFromTheResolutionItWasFoundAt() {
        Mark m = Mark.of(finding(Map.of("box", "100, 50, 20, 40", "resolution", "320x180")), 640, 360);
        assertThat(m.box()).hasValueSatisfying(b -> assertThat(b).containsExactly(200, 100, 40, 80));
        assertThat(m.label()).isEqualTo("INTRUSION @ gate");
        assertThat(m.zone()).isEqualTo("gate");
    }

    @Test
    void anUnreadableOrMissingBoxLeavesOnlyTheZone() {
        assertThat(Mark.of(finding(Map.of("box", "1,2,three,4")), 640, 360).box()).isEmpty();
        assertThat(Mark.of(finding(Map.of("box", "1,2,3")), 640, 360).box()).isEmpty();
        Mark none = Mark.of(finding(Map.of()), 640, 360);
        assertThat(none.box()).isEmpty();
        assertThat(none.zone()).isEqualTo("gate");
    }
}
