package io.safegrid.model.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GridPathTest {

    @Test
    void theIdCheckAgreesWithTheDocumentedPatternOnEveryKindOfString() {
        String alphabet = "az09_-AZ/ .é甲";
        Random r = new Random(212);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder b = new StringBuilder();
            int n = r.nextInt(i % 50 == 0 ? 70 : 6);
            for (int k = 0; k < n; k++) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String s = b.toString();
            assertThat(GridPath.isId(s)).as("'%s'", s).isEqualTo(GridPath.SEGMENT.matcher(s).matches());
        }
        assertThat(GridPath.isId("a".repeat(64))).isTrue();
        assertThat(GridPath.isId("a".repeat(65))).isFalse();
    }

    @Test
    void aPathWithABadIdIsRefusedNamingIt() {
        assertThat(GridPath.parse("/puxian/kecheng/").segments()).containsExactly("puxian", "kecheng");
        assertThatThrownBy(() -> GridPath.parse("puxian/Kecheng")).hasMessageContaining("'Kecheng'");
        assertThatThrownBy(() -> GridPath.parse("puxian//x")).hasMessageContaining("bad grid id ''");
    }
}
