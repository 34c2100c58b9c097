package io.safegrid.ingest.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.model.grid.GridPath;
import io.safegrid.model.reading.DataFlag;
import io.safegrid.model.reading.Period;
import io.safegrid.model.reading.Reading;
import io.safegrid.model.reading.Statistic;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A reading comes back from the journal as it went in, whatever script its text is in, in the format journals already on disk have. */
class ReadingCodecTest {

    private static Reading reading(String device, GridPath site) {
        return new Reading(device, site, "ch4", 1.25, Instant.parse("2026-12-07T05:00:00.123456Z"), Period.REALTIME,
                Statistic.VALUE, DataFlag.N, Instant.parse("2026-12-07T05:00:00.200Z"));
    }

    private static ByteBuffer written(Reading r) {
        ByteBuffer b = ByteBuffer.allocate(ReadingCodec.maxSize(r));
        ReadingCodec.write(b, r);
        return b.flip();
    }

    @Test
    void plainAndChineseTextAndNoSiteComeBackTheSame() {
        for (Reading r : new Reading[] {
                reading("ch4-1", GridPath.of("puxian", "keliqiao", "village-3", "coalmine-7")),
                reading("甲烷-1", GridPath.of("puxian", "kecheng", "kecheng-coal")),
                reading("瓦斯传感器-2", null),
                reading("ch4-3", null)}) {
            assertThat(ReadingCodec.read(written(r))).isEqualTo(r);
        }
    }

    @Test
    void theTextIsUtf8AfterItsLengthAsBefore() {
        ByteBuffer b = written(reading("甲烷-1", GridPath.of("puxian", "mine-7")));
        for (String text : new String[] {"甲烷-1", "puxian/mine-7", "ch4"}) {
            byte[] expected = text.getBytes(StandardCharsets.UTF_8);
            assertThat(b.getShort()).as(text).isEqualTo((short) expected.length);
            byte[] got = new byte[expected.length];
            b.get(got);
            assertThat(got).isEqualTo(expected);
        }
    }
}
