package io.safegrid.model.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AnalysisRateTest {

    private static int taken(AnalysisRate rate, double sourceFps, double seconds) {
        int n = 0;
        for (int i = 0; i < Math.round(sourceFps * seconds); i++) {
            // microsecond timestamps, as the decoder gives them
            if (rate.take(Math.floor(i * 1e6 / sourceFps) / 1e6)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void thinsToTheRateWhateverTheSourceRate() {
        // 10 s at the rate, plus the extra picture of the half first interval
        assertEquals(51, taken(new AnalysisRate(5), 25, 10));
        assertEquals(51, taken(new AnalysisRate(5), 30, 10));
        assertEquals(51, taken(new AnalysisRate(5), 29.97, 10));
        assertEquals(21, taken(new AnalysisRate(2), 23.976, 10));
    }

    @Test
    void takesEveryFifthOfTwentyFiveNotEverySixth() {
        AnalysisRate rate = new AnalysisRate(5);
        StringBuilder picks = new StringBuilder();
        for (int i = 0; i < 19; i++) {
            picks.append(rate.take(i * 0.04) ? 'x' : '.');
        }
        // the first interval is half: the schedule starts half an interval after the first picture
        assertEquals("x..x....x....x....x", picks.toString());
    }

    @Test
    void aGapMakesNoBurstAndARestartIsDueAtOnce() {
        AnalysisRate rate = new AnalysisRate(5);
        assertTrue(rate.take(0));
        assertTrue(rate.take(10));        // after a gap: taken ...
        assertFalse(rate.take(10.04));    // ... but the pictures right after it are not
        assertFalse(rate.due(2));
        rate.restart();
        assertTrue(rate.take(2));
    }

    @Test
    void dueDoesNotTakeAndZeroTakesEverything() {
        AnalysisRate rate = new AnalysisRate(5);
        assertTrue(rate.due(0));
        assertTrue(rate.due(0));
        AnalysisRate all = new AnalysisRate(0);
        assertEquals(250, taken(all, 25, 10));
    }
}
