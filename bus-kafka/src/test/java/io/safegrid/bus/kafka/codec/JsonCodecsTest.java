package io.safegrid.bus.kafka.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.reading.DataFlag;
import io.safegrid.model.reading.Period;
import io.safegrid.model.reading.Reading;
import io.safegrid.model.reading.Statistic;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonCodecsTest {
    private static final GridPath SITE = GridPath.parse("puxian/keliqiao/village-3/coalmine-7");

    @Test
    void aReadingComesBackEqual() {
        Reading r = new Reading("ch4-07", SITE, "methane", 1.27, Instant.parse("2026-11-29T03:15:00.123Z"),
                Period.MINUTE, Statistic.AVG, DataFlag.D, Instant.parse("2026-11-29T03:15:01Z"));
        MessageCodec<Reading> codec = JsonCodecs.forTopic(Topic.READINGS);
        byte[] json = codec.encode(r);

        assertThat(codec.decode(json)).isEqualTo(r);
        // readable on the wire, as someone with kafka-console-consumer would see it
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"site\":\"puxian/keliqiao/village-3/coalmine-7\"",
                "\"time\":\"2026-11-29T03:15:00.123Z\"");
    }

    @Test
    void aFindingKeepsItsSnapshotBytesDetailsAndMissingThreshold() {
        byte[] jpeg = new byte[4096];
        for (int i = 0; i < jpeg.length; i++) {
            jpeg[i] = (byte) (i * 31);
        }
        Finding f = new Finding("f-1", FindingKind.PERSON_IN_DANGER_ZONE, Level.ORANGE, Condition.ACTIVE, "cam-3", SITE,
                "video-person-in-danger-zone", "hoist", 2, Double.NaN, Instant.parse("2026-11-29T03:15:00Z"),
                "井口摄像机: 2 人进入危险区域", jpeg, Map.of("box", "10,20,30,40", "frame", "77"));
        MessageCodec<Finding> codec = JsonCodecs.forTopic(Topic.FINDINGS);

        Finding back = codec.decode(codec.encode(f));

        assertThat(back).usingRecursiveComparison().ignoringFields("threshold").isEqualTo(f);
        assertThat(back.snapshot()).isEqualTo(jpeg);
        assertThat(back.threshold()).isNaN();
        assertThat(back.alarmKey()).isEqualTo("cam-3|video-person-in-danger-zone|hoist");
    }

    @Test
    void anAlarmEventCarriesTheAlarmAsItStands() {
        Alarm a = new Alarm("a-9", "ch4-07|methane-working-face", FindingKind.THRESHOLD, Level.RED, Level.RED,
                AlarmState.ACKNOWLEDGED, true, "ch4-07", SITE, "methane-working-face", "甲烷超限 1.6%", 1.6, 1.9, 1.5,
                4, Instant.parse("2026-11-29T03:00:00Z"), Instant.parse("2026-11-29T03:02:00Z"),
                Instant.parse("2026-11-29T03:03:00Z"), "wang.duty");
        AlarmEvent e = new AlarmEvent(42, AlarmEvent.Type.ACKNOWLEDGED, "a-9", Instant.parse("2026-11-29T03:03:00Z"),
                "wang.duty", "on my way", a);
        MessageCodec<AlarmEvent> codec = JsonCodecs.forTopic(Topic.ALARMS);

        assertThat(codec.decode(codec.encode(e))).isEqualTo(e);
    }

    @Test
    void fieldsANewerNodeAddedAreIgnored() {
        String json = "{\"deviceId\":\"d1\",\"metric\":\"co\",\"value\":3.5,\"time\":\"2026-11-29T03:15:00Z\","
                + "\"comesLater\":{\"x\":1}}";
        Reading r = JsonCodecs.forTopic(Topic.READINGS).decode(json.getBytes(StandardCharsets.UTF_8));
        assertThat(r.deviceId()).isEqualTo("d1");
        assertThat(r.value()).isEqualTo(3.5);
    }

    @Test
    void garbageIsABadMessageNotACrash() {
        MessageCodec<Finding> codec = JsonCodecs.forTopic(Topic.FINDINGS);
        assertThatThrownBy(() -> codec.decode("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(BadMessageException.class).hasMessageContaining("not a Finding");
        // valid JSON missing what a finding must have
        assertThatThrownBy(() -> codec.decode("{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(BadMessageException.class);
        assertThatThrownBy(() -> codec.decode(null)).isInstanceOf(BadMessageException.class);
    }

    @Test
    void aReadingWithAnImpossibleTimeIsABadMessageAndEpochSecondsStillRead() {
        MessageCodec<Reading> codec = JsonCodecs.forTopic(Topic.READINGS);
        String json = "{\"deviceId\":\"ch4-07\",\"site\":\"puxian/keliqiao\",\"metric\":\"methane\",\"value\":1.0,"
                + "\"time\":%s,\"receivedAt\":\"2026-11-29T03:15:01Z\"}";

        assertThatThrownBy(() -> codec.decode(String.format(json, "\"2026-02-30T03:15:00Z\"").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(BadMessageException.class).hasMessageContaining("not a Reading");
        // Jackson's own number form (epoch seconds with a fraction) is still understood
        assertThat(codec.decode(String.format(json, "1764386100.5").getBytes(StandardCharsets.UTF_8)).time())
                .isEqualTo(Instant.ofEpochSecond(1764386100L, 500_000_000));
    }

    @Test
    void theReadingsCodecWritesAndReadsWhatDataBindingDoes() {
        MessageCodec<Reading> fast = JsonCodecs.forTopic(Topic.READINGS);
        MessageCodec<Reading> bound = JsonCodecs.forType(Reading.class);
        java.util.Random random = new java.util.Random(18);
        double[] values = {0, -0.0, 1.27, 1e-9, 6.02e23, Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE, -42};
        for (int i = 0; i < 2_000; i++) {
            Reading r = new Reading(i % 7 == 0 ? "设备-\"q\"\\" + i : "ch4-" + i, i % 5 == 0 ? null : SITE,
                    i % 3 == 0 ? "甲烷\t浓度" : "methane", i < values.length ? values[i] : random.nextGaussian() * 1000,
                    Instant.ofEpochSecond(1_764_000_000L + random.nextInt(1_000_000), random.nextInt(3) * 123_000_000),
                    Period.values()[i % Period.values().length], Statistic.values()[i % Statistic.values().length],
                    DataFlag.values()[i % DataFlag.values().length], Instant.ofEpochSecond(1_764_000_000L + i, i));
            byte[] json = fast.encode(r);

            assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo(new String(bound.encode(r), StandardCharsets.UTF_8));
            assertThat(fast.decode(json)).isEqualTo(r);
            assertThat(fast.decode(bound.encode(r))).isEqualTo(bound.decode(json));
        }
    }

    @Test
    void plainReadingsAreWrittenWithoutTheGeneratorByteForByteAsItWrites() {
        java.util.Random random = new java.util.Random(7);
        double[] values = {0, -0.0, 1.27, 1e-9, 6.02e23, Double.NaN, Double.NEGATIVE_INFINITY, Double.MAX_VALUE, -42};
        for (int i = 0; i < 2_000; i++) {
            Reading r = new Reading("load-" + i, i % 4 == 0 ? null : SITE, i % 2 == 0 ? "methane" : "co_2-ppm",
                    i < values.length ? values[i] : random.nextGaussian() * 1000,
                    Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(4) * 100_100_000 + i % 3 * 1_000),
                    Period.values()[i % Period.values().length], Statistic.values()[i % Statistic.values().length],
                    DataFlag.values()[i % DataFlag.values().length], Instant.ofEpochSecond(1_764_000_000L + i, i));

            byte[] plain = PlainReadingWriter.write(r);

            assertThat(plain).as("reading %d", i).isNotNull();
            assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo(new String(ReadingCodec.generate(r), StandardCharsets.UTF_8));
        }
        // text JSON must escape, or that is not ASCII, and years Instant writes with a sign, go to the generator
        Instant t = Instant.parse("2026-11-29T03:15:00Z");
        assertThat(PlainReadingWriter.write(new Reading("a\"b", SITE, "co", 1, t, null, null, null, t))).isNull();
        assertThat(PlainReadingWriter.write(new Reading("d", SITE, "甲烷", 1, t, null, null, null, t))).isNull();
        assertThat(PlainReadingWriter.write(new Reading("d", SITE, "co\n", 1, t, null, null, null, t))).isNull();
        assertThat(PlainReadingWriter.write(new Reading("d", SITE, "co", 1, Instant.parse("+12026-01-01T00:00:00Z"), null,
                null, null, t))).isNull();
    }

    @Test
    void aNodesRepeatedDevicesWholeValuesAndCurrentSecondsAreWrittenAsTheGeneratorWrites() {
        // the writer keeps the text of the ids, paths and seconds it saw last: the same objects again, whole
        // numbers on both sides of 10^7, and instants moving through a few seconds must still come out exact
        String[] devices = {"load-0001", "load-0002", "load-0003"};
        GridPath[] sites = {SITE, GridPath.parse("county-2/ent-9"), null};
        double[] wholes = {0, -0.0, 1, -1, 9, 10, 99, 100, 1234567, -1234567, 9_999_999, -9_999_999, 10_000_000,
                -10_000_000, 12_345_678, 1e15, 4_503_599_627_370_496d, 0.5, -0.5};
        Instant base = Instant.parse("2026-12-07T02:30:59.999Z");
        for (int i = 0; i < 3_000; i++) {
            Instant time = base.plusNanos(i * 1_000_003L);
            Reading r = new Reading(devices[i % 3], sites[i % 3], "methane", i < wholes.length ? wholes[i] : i * 7 - 9_000,
                    time, null, null, null, time.plusMillis(i % 5 == 0 ? 1_500 : 3));

            byte[] plain = PlainReadingWriter.write(r);

            assertThat(new String(plain, StandardCharsets.UTF_8)).as("reading %d", i)
                    .isEqualTo(new String(ReadingCodec.generate(r), StandardCharsets.UTF_8));
        }
        String quoted = "a\"b";   // the same object twice: its "not plain" is remembered, not forgotten
        Instant t = Instant.parse("2026-11-29T03:15:00Z");
        assertThat(PlainReadingWriter.write(new Reading(quoted, SITE, "co", 1, t, null, null, null, t))).isNull();
        assertThat(PlainReadingWriter.write(new Reading(quoted, SITE, "co", 1, t, null, null, null, t))).isNull();
    }

    @Test
    void theReadingsCodecRefusesWrongTypesAsBadMessages() {
        MessageCodec<Reading> codec = JsonCodecs.forTopic(Topic.READINGS);
        for (String json : new String[] {"[1,2]", "{\"deviceId\":7,\"metric\":\"co\",\"time\":\"2026-11-29T03:15:00Z\"}",
                "{\"deviceId\":\"d\",\"metric\":\"co\",\"value\":1,\"time\":\"2026-11-29T03:15:00Z\",\"flag\":\"Q\"}",
                "{\"deviceId\":\"d\",\"metric\":\"co\",\"value\":1}", "{\"deviceId\":\"d\""}) {
            assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8)))
                    .as(json).isInstanceOf(BadMessageException.class).hasMessageContaining("not a Reading");
        }
    }

    @Test
    void aStreamReportComesBackEqual() {
        io.safegrid.model.video.StreamReport r = new io.safegrid.model.video.StreamReport("cam-1",
                GridPath.parse("puxian/keliqiao/coalmine-7"), Instant.parse("2026-12-06T12:00:00.250Z"), 6.5, true, false);
        MessageCodec<io.safegrid.model.video.StreamReport> codec = JsonCodecs.forTopic(Topic.STREAMS);
        assertThat(codec.decode(codec.encode(r))).isEqualTo(r);
    }
}
