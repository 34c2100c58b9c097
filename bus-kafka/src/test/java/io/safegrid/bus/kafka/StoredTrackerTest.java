package io.safegrid.bus.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoredTrackerTest {
    @Test
    void waitersRunInOrderOnceEveryEarlierRecordIsAnsweredAndFailOnAnyFailure() {
        StoredTracker t = new StoredTracker();
        List<String> seen = new ArrayList<>();
        long a = t.next();
        long b = t.next();
        t.whenStored(() -> seen.add("first stored"), () -> seen.add("first failed"));
        long c = t.next();
        t.whenStored(() -> seen.add("second stored"), () -> seen.add("second failed"));
        t.answer(c, true);
        t.answer(b, false);
        assertThat(seen).as("record a has no answer yet").isEmpty();
        t.answer(a, true);
        assertThat(seen).containsExactly("first failed", "second stored");
        long d = t.next();
        t.whenStored(() -> seen.add("third stored"), () -> seen.add("third failed"));
        t.whenStored(() -> seen.add("fourth stored"), () -> seen.add("fourth failed"));
        t.refused(d);
        assertThat(seen).endsWith("third failed", "fourth stored");
        t.whenStored(() -> seen.add("nothing pending"), () -> seen.add("x"));
        assertThat(seen).last().isEqualTo("nothing pending");
    }
}
