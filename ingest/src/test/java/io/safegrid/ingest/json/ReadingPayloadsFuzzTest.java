package io.safegrid.ingest.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.model.device.Protocol;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.device.ValueRange;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.reading.Reading;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes the MQTT/HTTP JSON payload decoder with anything a device could publish: it returns
 * readings with finite values or refuses with a {@link PayloadException}, nothing else. Tries:
 * {@code jqwik.tries.default} (docs/security.md).
 */
class ReadingPayloadsFuzzTest {
    private static final Sensor SENSOR = new Sensor("s1", "s1", GridPath.of("county", "ent"), "ch4", "%", new ValueRange(0, 100),
            "load", Protocol.MQTT);
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    @Property
    void anyPayloadGivesFiniteReadingsOrARefusal(@ForAll("payloads") byte[] payload) {
        List<Reading> readings;
        try {
            readings = ReadingPayloads.readings(payload, SENSOR, NOW);
        } catch (PayloadException refused) {
            assertThat(refused.reason()).isNotBlank();
            return;
        }
        assertThat(readings).allSatisfy(r -> {
            assertThat(Double.isFinite(r.value())).isTrue();
            assertThat(r.deviceId()).isEqualTo("s1");
            assertThat(r.time()).isNotNull();
        });
    }

    @Provide
    Arbitrary<byte[]> payloads() {
        Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.doubles().map(String::valueOf),
                Arbitraries.of("1e999", "-1e999", "NaN", "9223372036854775808", "0x10", "-0", "1.", ".5", "1e-400"));
        Arbitrary<String> scalar = Arbitraries.oneOf(number, Arbitraries.of("null", "true", "false", "\"x\"", "\"N\"", "\"F\"",
                "\"2026-01-02T03:04:05Z\"", "\"2026-13-40 99:99:99\"", "{}", "[]"), Arbitraries.longs().map(String::valueOf));
        Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of("value", "ts", "flag", "readings", "deviceId", "extra"),
                Arbitraries.strings().ofMaxLength(8));
        Arbitrary<String> member = net.jqwik.api.Combinators.combine(key, scalar).as((k, v) -> "\"" + k + "\":" + v);
        Arbitrary<String> object = member.list().ofMaxSize(6).map(l -> "{" + String.join(",", l) + "}");
        Arbitrary<String> batch = object.list().ofMaxSize(5).map(l -> "{\"readings\":[" + String.join(",", l) + "]}");
        Arbitrary<String> array = object.list().ofMaxSize(5).map(l -> "[" + String.join(",", l) + "]");
        Arbitrary<String> text = Arbitraries.oneOf(object, batch, array, scalar);
        Arbitrary<byte[]> mutated = text.flatMap(t -> Arbitraries.integers().between(0, Math.max(0, t.length() - 1)).flatMap(
                cut -> Arbitraries.strings().ofMaxLength(3).map(ins -> (t.substring(0, Math.min(cut, t.length())) + ins
                        + t.substring(Math.min(cut + 1, t.length()))).getBytes(StandardCharsets.UTF_8))));
        return Arbitraries.oneOf(text.map(t -> t.getBytes(StandardCharsets.UTF_8)), mutated,
                Arbitraries.bytes().array(byte[].class).ofMaxSize(512));
    }
}
