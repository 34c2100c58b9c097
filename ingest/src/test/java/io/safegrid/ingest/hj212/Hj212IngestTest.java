package io.safegrid.ingest.hj212;

import static io.safegrid.ingest.TestDeployments.LOG_CO;
import static io.safegrid.ingest.TestDeployments.LOG_FLOW;
import static io.safegrid.ingest.TestDeployments.LOG_SB1;
import static io.safegrid.ingest.TestDeployments.LOG_SO2;
import static io.safegrid.ingest.TestDeployments.MN;
import static io.safegrid.ingest.TestDeployments.PW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.ingest.IngestFixture;
import io.safegrid.ingest.TestDeployments;
import io.safegrid.bus.inprocess.InProcessBus;
import java.time.Clock;
import io.safegrid.model.reading.DataFlag;
import io.safegrid.model.reading.Period;
import io.safegrid.model.reading.Reading;
import io.safegrid.model.reading.Statistic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HJ 212 over a real TCP socket against a running ingest. */
class Hj212IngestTest {
    static final String QN = "20240315103000123";
    /** 2024-03-15 10:30:00 Beijing time. */
    static final Instant DATA_TIME = Instant.parse("2024-03-15T02:30:00Z");

    private final IngestFixture fx = new IngestFixture();

    @AfterEach
    void stop() { fx.close(); }

    static String upload(String cn, int flag, String cp) {
        return "QN=" + QN + ";ST=22;CN=" + cn + ";PW=" + PW + ";MN=" + MN + ";Flag=" + flag + ";CP=&&" + cp + "&&";
    }

    static String ack(String cn, String cp) {
        String data = "QN=" + QN + ";ST=91;CN=" + cn + ";PW=" + PW + ";MN=" + MN + ";Flag=4;CP=&&" + cp + "&&";
        return new String(Hj212FrameEncoder.frame(data), StandardCharsets.UTF_8);
    }

    static final String ACK_9014 = ack("9014", "");

    @Test
    void realTimeData2011IsPublishedAndAcknowledgedWith9014() throws Exception {
        try (Hj212Client c = new Hj212Client(fx.ingest.hj212Port())) {
            c.send(upload("2011", 5, "DataTime=20240315103000;a21005-Rtd=1.25,a21005-Flag=N;a21026-Rtd=0.40,a21026-Flag=T;SB1-RS=1"));
            assertThat(c.reply()).isEqualTo(ACK_9014);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.readings.size() == 3);
        Reading co = find(LOG_CO);
        assertThat(co.value()).isEqualTo(1.25);
        assertThat(co.metric()).isEqualTo("co");
        assertThat(co.period()).isEqualTo(Period.REALTIME);
        assertThat(co.statistic()).isEqualTo(Statistic.VALUE);
        assertThat(co.time()).isEqualTo(DATA_TIME);
        assertThat(co.flag()).isEqualTo(DataFlag.N);
        assertThat(find(LOG_SO2).flag()).isEqualTo(DataFlag.T);
        assertThat(find(LOG_SB1).value()).isEqualTo(1.0);
        assertThat(fx.accepted("hj212")).isEqualTo(3);
    }

    @Test
    void minuteHourAndDayStatisticsMapToPeriodAndStatistic() throws Exception {
        String stats = "DataTime=20240315103000;a21005-Min=1.0,a21005-Avg=1.5,a21005-Max=2.0,a21005-Flag=N;w00000-Cou=120.5";
        try (Hj212Client c = new Hj212Client(fx.ingest.hj212Port())) {
            for (String cn : List.of("2051", "2061", "2031")) {
                c.send(upload(cn, 5, stats));
                assertThat(c.reply()).isEqualTo(ACK_9014);
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.readings.size() == 12);
        for (Period p : List.of(Period.MINUTE, Period.HOUR, Period.DAY)) {
            List<Reading> rs = fx.readings.stream().filter(r -> r.period() == p).toList();
            assertThat(rs).extracting(Reading::statistic)
                    .containsExactlyInAnyOrder(Statistic.MIN, Statistic.AVG, Statistic.MAX, Statistic.TOTAL);
            assertThat(rs).filteredOn(r -> r.statistic() == Statistic.TOTAL).singleElement()
                    .satisfies(r -> {
                        assertThat(r.deviceId()).isEqualTo(LOG_FLOW);
                        assertThat(r.value()).isEqualTo(120.5);
                    });
        }
    }

    @Test
    void noReplyWhenTheFlagDoesNotAskForOne() throws Exception {
        try (Hj212Client c = new Hj212Client(fx.ingest.hj212Port())) {
            c.send(upload("2011", 4, "DataTime=20240315103000;a21005-Rtd=1.25"));
            assertThat(c.reply(500)).isNull();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.readings.size() == 1);
    }

    @Test
    void wrongCrcIsAnsweredWithQnRtn9() throws Exception {
        String frame = new String(Hj212FrameEncoder.frame(upload("2011", 5, "a21005-Rtd=1.0")), StandardCharsets.UTF_8);
        String corrupted = frame.substring(0, frame.length() - 6) + "ABCD\r\n";
        try (Hj212Client c = new Hj212Client(fx.ingest.hj212Port())) {
            c.send(corrupted.getBytes(StandardCharsets.UTF_8));
            assertThat(c.reply()).isEqualTo(ack("9011", "QnRtn=9"));
            // the connection keeps working
            c.send(upload("2011", 5, "a21005-Rtd=1.0"));
            assertThat(c.reply()).isEqualTo(ACK_9014);
        }
        assertThat(fx.rejected("hj212", "crc")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.readings.size() == 1);
    }

    @Test
    void badPasswordUnknownMnAndUnsupportedCommandAreRefusedWithTheirCodes() throws Exception {
        try (Hj212Client c = new Hj212Client(fx.ingest.hj212Port())) {
            c.send(upload("2011", 5, "a21005-Rtd=1.0").replace("PW=" + PW, "PW=999999"));
            assertThat(c.reply()).contains("CN=9011").contains("QnRtn=3&&").contains("PW=999999");
            c.send(upload("2011", 5, "a21005-Rtd=1.0").replace(MN, "UNKNOWN00001"));
            assertThat(c.reply()).contains("CN=9011").contains("QnRtn=4&&").contains("MN=UNKNOWN00001");
            // the standard's own example is a 1062 command: not a data upload
            c.send(Hj212CrcTest.EXAMPLE_FRAME.getBytes(StandardCharsets.US_ASCII));
            assertThat(c.reply()).isEqualTo(new String(Hj212FrameEncoder.frame(
                    "QN=20160801085857223;ST=91;CN=9011;PW=100000;MN=010000A8900016F000169DC0;Flag=4;CP=&&QnRtn=8&&"),
                    StandardCharsets.US_ASCII));
        }
        assertThat(fx.rejected("hj212", "bad-password")).isEqualTo(1);
        assertThat(fx.rejected("hj212", "unknown-mn")).isEqualTo(1);
        assertThat(fx.rejected("hj212", "unsupported-cn")).isEqualTo(1);
        assertThat(fx.readings).isEmpty();
    }

    @Test
    void garbageTruncatedWrongLengthAndOversizedFramesCostOnlyThemselves() throws Exception {
        byte[] good = Hj212FrameEncoder.frame(upload("2011", 5, "a21005-Rtd=2.0"));
        String goodText = new String(good, StandardCharsets.UTF_8);
        try (Hj212Client c = new Hj212Client(fx.ingest.hj212Port())) {
            c.send("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            c.send(Arrays.copyOf(good, 40));                                           // truncated
            c.send(good);
            assertThat(c.reply()).isEqualTo(ACK_9014);
            c.send(("##0999" + goodText.substring(6)).getBytes(StandardCharsets.UTF_8)); // wrong length
            c.send(("##2000" + "x".repeat(50)).getBytes(StandardCharsets.US_ASCII));   // oversized
            c.send(good);
            assertThat(c.reply()).isEqualTo(ACK_9014);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.readings.size() == 2);
        assertThat(fx.rejected("hj212", "garbage")).isPositive();
        assertThat(fx.rejected("hj212", "length-mismatch")).isPositive();
        assertThat(fx.rejected("hj212", "too-large")).isEqualTo(1);
    }

    @Test
    void splitAndStickyDeliveryOverTheSocket() throws Exception {
        byte[] f1 = Hj212FrameEncoder.frame(upload("2011", 5, "a21005-Rtd=1.0"));
        byte[] f2 = Hj212FrameEncoder.frame(upload("2011", 5, "a21005-Rtd=2.0"));
        byte[] f3 = Hj212FrameEncoder.frame(upload("2011", 5, "a21005-Rtd=3.0"));
        try (Hj212Client c = new Hj212Client(fx.ingest.hj212Port())) {
            for (byte b : f1) {                       // one byte per TCP write
                c.send(new byte[] {b});
            }
            assertThat(c.reply()).isEqualTo(ACK_9014);
            byte[] sticky = new byte[f2.length + f3.length];
            System.arraycopy(f2, 0, sticky, 0, f2.length);
            System.arraycopy(f3, 0, sticky, f2.length, f3.length);
            c.send(sticky);                           // two frames in one write
            assertThat(c.reply()).isEqualTo(ACK_9014);
            assertThat(c.reply()).isEqualTo(ACK_9014);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.readings.size() == 3);
        assertThat(fx.readings).extracting(Reading::value).containsExactly(1.0, 2.0, 3.0);
    }

    @Test
    void unknownFactorsAndBadFlagsAreCountedWhileTheRestIsTaken() throws Exception {
        try (Hj212Client c = new Hj212Client(fx.ingest.hj212Port())) {
            c.send(upload("2011", 5, "a99999-Rtd=5;a21005-Rtd=1.0,a21005-Flag=N;a21026-Rtd=2,a21026-Flag=Q"));
            assertThat(c.reply()).isEqualTo(ACK_9014);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.readings.size() == 1);
        assertThat(fx.readings.get(0).deviceId()).isEqualTo(LOG_CO);
        assertThat(fx.rejected("hj212", "unknown-factor")).isEqualTo(1);
        assertThat(fx.rejected("hj212", "bad-flag")).isEqualTo(1);
    }

    @Test
    void framesOverTheDeviceRateAreRefusedWithQnRtn2() throws Exception {
        try (IngestFixture limited = new IngestFixture(TestDeployments.deployment(TestDeployments.node(4096, 2), List.of()),
                new InProcessBus(), Clock.systemUTC());
             Hj212Client c = new Hj212Client(limited.ingest.hj212Port())) {
            // three readings for one sensor against an allowance of two a second: refused whole
            c.send(upload("2051", 5, "a21005-Min=1,a21005-Avg=2,a21005-Max=3"));
            assertThat(c.reply()).isEqualTo(ack("9011", "QnRtn=2"));
            c.send(upload("2051", 5, "a21005-Avg=2"));
            assertThat(c.reply()).isEqualTo(ACK_9014);
            await().atMost(Duration.ofSeconds(30)).until(() -> limited.readings.size() == 1);
            assertThat(limited.rejected("hj212", "rate-limited")).isEqualTo(1);
        }
    }

    private Reading find(String id) {
        return fx.readings.stream().filter(r -> r.deviceId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aDataTimeOutsideTheWindowIsRefusedNot9014() throws Exception {
        try (Hj212Client c = new Hj212Client(fx.ingest.hj212Port())) {
            c.send(upload("2011", 5, "DataTime=99991231235959;a21005-Rtd=1.25"));
            assertThat(c.reply()).isEqualTo(ack("9011", "QnRtn=2"));
            c.send(upload("2011", 5, "DataTime=20240315103000;a21005-Rtd=1.5"));
            assertThat(c.reply()).isEqualTo(ACK_9014);
        }
        assertThat(fx.rejected("hj212", "bad-time")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.readings.size() == 1);
        assertThat(fx.readings.get(0).value()).isEqualTo(1.5);
    }
}
