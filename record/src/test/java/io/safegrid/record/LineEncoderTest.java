package io.safegrid.record;

import static io.safegrid.record.RecordFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.reading.DataFlag;
import io.safegrid.model.reading.Period;
import io.safegrid.model.reading.Reading;
import io.safegrid.model.reading.Statistic;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The fast reading path must write what the client library's Point would. */
class LineEncoderTest {
    final LineEncoder encoder = new LineEncoder(new GridTags(config()));
    final Instant t = Instant.parse("2026-11-29T01:02:03.456Z");

    String viaPoint(Reading r, String valueText) {
        String line = Point.measurement("reading").addTags(new GridTags(config()).of(r.site()))
                .addTag("device", r.deviceId()).addTag("metric", r.metric()).addTag("period", r.period().name())
                .addTag("statistic", r.statistic().name()).addTag("flag", r.flag().name())
                .addField("value", 0L).time(r.time().toEpochMilli(), WritePrecision.MS).toLineProtocol();
        return line.replace(" value=0i ", " value=" + valueText + " ");
    }

    @Test
    void tagsAreEscapedAndSortedAsThePointLibraryDoes() {
        Reading r = new Reading("dev 1,a=b", FACE1, "CH4 浓度", 0.25, t, Period.MINUTE, Statistic.AVG, DataFlag.D, t);
        String line = encoder.reading(r);
        assertThat(line).isEqualTo(viaPoint(r, "0.25"));
        assertThat(line).startsWith("reading,county=puxian,device=dev\\ 1\\,a\\=b,enterprise=coalmine-7,flag=D,metric=CH4\\ 浓度,");
        assertThat(line).endsWith(" value=0.25 " + t.toEpochMilli());
        assertThat(encoder.reading(r)).isEqualTo(line); // from the cache, the same
    }

    @Test
    void valuesKeepFullPrecisionAndNaNIsRefused() {
        assertThat(encoder.reading(Reading.sample("d", FACE1, "m", 1.0E-5, t))).contains(" value=1.0E-5 ");
        assertThat(encoder.reading(Reading.sample("d", FACE1, "m", 12, t))).contains(" value=12.0 ");
        assertThat(encoder.reading(Reading.sample("d", FACE1, "m", 0.1 + 0.2, t))).contains(" value=0.30000000000000004 ");
        assertThat(encoder.reading(Reading.sample("d", FACE1, "m", Double.NaN, t))).isNull();
        assertThat(encoder.reading(Reading.sample("d", null, "m", 1, t))).startsWith("reading,device=d,flag=N,metric=m,");
        assertThat(encoder.reading(Reading.sample("d", GridPath.of("elsewhere"), "m", 1, t))).contains(",site=elsewhere,");
    }
}
