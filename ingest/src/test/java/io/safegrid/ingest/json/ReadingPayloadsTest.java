package io.safegrid.ingest.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.model.device.Protocol;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.device.ValueRange;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.reading.DataFlag;
import io.safegrid.model.reading.Reading;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streaming way for plain readings gives exactly what the tree way gives, errors included. */
class ReadingPayloadsTest {
    private static final Sensor SENSOR = new Sensor("s1", "s1", GridPath.of("county", "ent"), "ch4", "%", new ValueRange(0, 100),
            "load", Protocol.MQTT);
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    private static final List<String> PAYLOADS = List.of(
            "{\"value\":42}", "{\"value\":0.42}", "{\"value\":-1.5e3}", " {\"value\" : 7 } ", "{\"value\":9223372036854775807}",
            "{\"value\":92233720368547758070}", "{\"value\":1e999}", "{\"value\":-1e999}", "{\"value\":\"1\"}", "{\"value\":null}",
            "{\"value\":true}", "{\"value\":[1]}", "{}", "{\"ts\":1}", "{\"value\":1,\"value\":2}", "{\"value\":1,\"extra\":{\"a\":1}}",
            "{\"value\":1,\"ts\":1700000000000}", "{\"value\":1,\"ts\":\"2026-01-02T03:04:05+08:00\"}",
            "{\"value\":1,\"ts\":\"2026-01-02T03:04:05Z\"}", "{\"value\":1,\"ts\":\"2026-01-02 03:04:05\"}",
            "{\"value\":1,\"ts\":1.5}", "{\"value\":1,\"ts\":null}", "{\"value\":1,\"ts\":true}", "{\"value\":1,\"ts\":{}}",
            "{\"value\":1,\"ts\":99999999999999999999}", "{\"value\":1,\"ts\":1,\"ts\":2}",
            "{\"value\":1,\"flag\":\"F\"}", "{\"value\":1,\"flag\":null}", "{\"value\":1,\"flag\":\"X\"}", "{\"value\":1,\"flag\":1}",
            "{\"value\":1,\"flag\":\"n\"}", "{\"value\":1,\"flag\":[]}", "{\"flag\":\"F\",\"ts\":5,\"value\":3}",
            "{\"value\":1} trailing", "{\"value\":1}{\"value\":2}", "{\"value\":1", "{\"value\":}", "", "   ", "null", "1", "\"x\"",
            "[]", "[{\"value\":1},{\"value\":2,\"flag\":\"M\"}]", "{\"readings\":[{\"value\":1}]}", "{\"readings\":5}",
            "{\"value\":1,\"readings\":[{\"value\":2}]}", "{\"readings\":[]}", "[1]", "{\"value\":NaN}", "nonsense");

    @Test
    void rawPayloadsReadAsTheTreeWayReadsThem() {
        for (String s : PAYLOADS) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            assertThat(outcome(() -> ReadingPayloads.readings(b, SENSOR, NOW)))
                    .as(s).isEqualTo(outcome(() -> ReadingPayloads.readings(ReadingPayloads.parseTree(b), SENSOR, NOW)));
        }
    }

    @Test
    void plainReadingTakesValueTimeAndFlag() throws Exception {
        List<Reading> r = ReadingPayloads.readings("{\"value\":0.5,\"ts\":\"2026-01-02T11:04:05+08:00\",\"flag\":\"M\"}"
                .getBytes(StandardCharsets.UTF_8), SENSOR, NOW);
        assertThat(r).hasSize(1);
        assertThat(r.get(0).value()).isEqualTo(0.5);
        assertThat(r.get(0).time()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(r.get(0).flag()).isEqualTo(DataFlag.M);
    }

    private interface Call {
        List<Reading> run() throws Exception;
    }

    private static String outcome(Call c) {
        try {
            return "ok " + c.run();
        } catch (PayloadException e) {
            return "refused " + e.reason() + ": " + e.getMessage();
        } catch (Exception e) {
            return "threw " + e;
        }
    }
}
