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

    @Test
    void answersFarAheadOfTheOldestOpenRecordAreKeptUntilItIsAnswered() {
        StoredTracker t = new StoredTracker();
        List<Integer> released = new ArrayList<>();
        List<Long> numbers = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            numbers.add(t.next());
            if (i % 100 == 99) {
                int waiter = i / 100;
                t.whenStored(() -> released.add(waiter), () -> released.add(-waiter));
            }
        }
        java.util.Collections.shuffle(numbers.subList(1, numbers.size()), new java.util.Random(23));
        for (long n : numbers.subList(1, numbers.size())) {
            t.answer(n, true);
        }
        assertThat(released).as("the first record is still open").isEmpty();
        t.answer(numbers.get(0), true);
        assertThat(released).hasSize(100).isSorted().allMatch(w -> w >= 0);
    }
}
