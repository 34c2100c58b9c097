package io.safegrid.bus.kafka.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantsTest {

    @Test
    void writesWhatInstantToStringWritesAndReadsItBack() {
        SplittableRandom rnd = new SplittableRandom(42);
        long from = Instant.parse("1900-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2200-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> rnd.nextInt(1000) * 1_000_000;
                case 2 -> rnd.nextInt(1_000_000) * 1_000;
                default -> rnd.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(rnd.nextLong(from, to), nano);
            String text = IsoInstants.format(t);
            assertThat(text).isEqualTo(t.toString());
            assertThat(IsoInstants.parse(text)).isEqualTo(t);
        }
    }

    @Test
    void readsShortFractionsAndLeavesOtherFormsToInstant() {
        assertThat(IsoInstants.parse("2026-11-29T03:15:00.1Z")).isEqualTo(Instant.parse("2026-11-29T03:15:00.100Z"));
        assertThat(IsoInstants.parse("2024-02-29T23:59:59.000001Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59.000001Z"));
        assertThat(IsoInstants.parse("+12026-11-29T03:15:00Z")).isEqualTo(Instant.parse("+12026-11-29T03:15:00Z"));
        assertThat(IsoInstants.format(Instant.parse("+12026-11-29T03:15:00Z"))).isEqualTo("+12026-11-29T03:15:00Z");
        // what Instant.parse leniently takes (end of day as 24:00, a bare decimal point) it still takes
        for (String lenient : new String[] {"2026-11-29T24:00:00Z", "2026-11-29T03:15:00.Z"}) {
            assertThat(IsoInstants.parse(lenient)).isEqualTo(Instant.parse(lenient));
        }
    }

    @Test
    void refusesWhatIsNotAnInstant() {
        for (String bad : new String[] {"2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", 
                "2026-11-29T03:1x:00Z", "2026-11-29 03:15:00Z", "yesterday"}) {
            assertThatThrownBy(() -> IsoInstants.parse(bad)).as(bad).isInstanceOf(DateTimeParseException.class);
        }
    }
}
