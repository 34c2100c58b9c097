package io.safegrid.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorBurstTest {
    private static final long MINUTE = 60_000_000_000L;

    @Test
    void aFloodOfErrorsShowsTheFirstFewThenHowManyFollowed() {
        ErrorBurst burst = new ErrorBurst(20, MINUTE);
        List<Long> heldBack = new ArrayList<>();
        int shown = 0;
        for (int i = 0; i < 86_000; i++) {     // one full-disk half minute, as measured
            if (burst.admit(i * 300_000L, heldBack::add)) {
                shown++;
            }
        }
        assertThat(shown).isEqualTo(20);
        assertThat(heldBack).isEmpty();        // still inside the first minute

        assertThat(burst.admit(MINUTE + 1, heldBack::add)).isTrue();
        assertThat(heldBack).containsExactly(85_980L);
    }

    @Test
    void aQuietWindowReportsNothingHeldBack() {
        ErrorBurst burst = new ErrorBurst(20, MINUTE);
        List<Long> heldBack = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            assertThat(burst.admit(i, heldBack::add)).isTrue();
        }
        assertThat(burst.admit(2 * MINUTE, heldBack::add)).isTrue();
        assertThat(heldBack).isEmpty();
    }
}
