package io.safegrid.bench.kafkaload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReadingTallyTest {

    @Test
    void readsTheSequenceNumberBackFromTheTextADoubleIsWrittenAs() {
        for (long seq : new long[] {0, 7, 9_999_999, 10_000_000, 12_345_678, 123_456_789_012L, 1L << 52}) {
            byte[] text = (Double.toString(seq) + ",\"time\"").getBytes(StandardCharsets.US_ASCII);
            assertThat(ReadingTally.number(text, 0, text.length)).as(Double.toString(seq)).isEqualTo(seq);
        }
    }
}
