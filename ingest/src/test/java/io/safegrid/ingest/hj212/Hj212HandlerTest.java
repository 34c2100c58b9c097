package io.safegrid.ingest.hj212;

import static io.safegrid.ingest.TestDeployments.LOG_CO;
import static io.safegrid.ingest.TestDeployments.LOG_SO2;
import static io.safegrid.ingest.TestDeployments.MN;
import static io.safegrid.ingest.TestDeployments.PW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.safegrid.ingest.EmbeddedIntake;
import io.safegrid.model.reading.DataFlag;
import io.safegrid.model.reading.Period;
import io.safegrid.model.reading.Reading;
import io.safegrid.model.reading.Statistic;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HJ 212 handler alone in Netty's EmbeddedChannel: decoded frames in, replies out, readings on a real bus. */
class Hj212HandlerTest {
    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    private static final String QN = "20240315103000123";

    private final EmbeddedIntake fx = new EmbeddedIntake();
    private final EmbeddedChannel ch = fx.channel(new Hj212Handler(() -> fx.directory, fx.intake, fx.clock, BEIJING));
    private final LocalDateTime dataTime = LocalDateTime.now(BEIJING).truncatedTo(ChronoUnit.SECONDS).minusMinutes(1);

    @AfterEach
    void close() {
        fx.close();
    }

    private String segment(String mn, String pw, String cn, int flag, String cp) {
        return "QN=" + QN + ";ST=22;CN=" + cn + ";PW=" + pw + ";MN=" + mn + ";Flag=" + flag + ";CP=&&" + cp + "&&";
    }

    private String dataTime() {
        return "DataTime=" + DateTimeFormatter.ofPattern("yyyyMMddHHmmss").format(dataTime);
    }

    private Hj212Reply reply() {
        ch.runPendingTasks();
        return ch.readOutbound();
    }

    @Test
    void aRealTimeFrameBecomesOneReadingPerBoundFactorAndIsAcknowledgedWith9014() {
        ch.writeInbound(new Hj212Frame(segment(MN, PW, "2011", 5,
                dataTime() + ";a21005-Rtd=1.25,a21005-Flag=N;a21026-Rtd=3.5,a21026-Flag=D"), "0000", true));
        assertThat(reply().data()).isEqualTo("QN=" + QN + ";ST=91;CN=9014;PW=" + PW + ";MN=" + MN + ";Flag=4;CP=&&&&");
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.readings.size() == 2);
        Reading co = fx.readings.stream().filter(r -> r.deviceId().equals(LOG_CO)).findFirst().orElseThrow();
        assertThat(co.value()).isEqualTo(1.25);
        assertThat(co.period()).isEqualTo(Period.REALTIME);
        assertThat(co.statistic()).isEqualTo(Statistic.VALUE);
        assertThat(co.time()).isEqualTo(dataTime.atZone(BEIJING).toInstant());
        Reading so2 = fx.readings.stream().filter(r -> r.deviceId().equals(LOG_SO2)).findFirst().orElseThrow();
        assertThat(so2.flag()).isEqualTo(DataFlag.D);
    }

    @Test
    void withoutTheAnswerBitNothingIsSentBack() {
        ch.writeInbound(new Hj212Frame(segment(MN, PW, "2011", 4, dataTime() + ";a21005-Rtd=1.0"), "0000", true));
        assertThat(reply()).isNull();
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.readings.size() == 1);
    }

    @Test
    void aBadCrcIsAnsweredWithItsQnRtnAndNothingIsPublished() {
        ch.writeInbound(new Hj212Frame(segment(MN, PW, "2011", 5, dataTime() + ";a21005-Rtd=1.0"), "FFFF", false));
        assertThat(reply().data()).contains("CN=9011", "QnRtn=" + QnRtn.CRC_ERROR);
        assertThat(fx.rejected("hj212", "crc")).isEqualTo(1);
        assertThat(fx.readings).isEmpty();
    }

    @Test
    void anUnknownMnOrAWrongPasswordIsRefusedAndTheConnectionStays() {
        ch.writeInbound(new Hj212Frame(segment("NOT-CONFIGURED", PW, "2011", 5, dataTime()), "0000", true));
        assertThat(reply().data()).contains("CN=9011", "QnRtn=" + QnRtn.BAD_MN);
        ch.writeInbound(new Hj212Frame(segment(MN, "wrong", "2011", 5, dataTime()), "0000", true));
        assertThat(reply().data()).contains("CN=9011", "QnRtn=" + QnRtn.BAD_PASSWORD);
        assertThat(ch.isOpen()).isTrue();
        assertThat(fx.rejected("hj212", "unknown-mn")).isEqualTo(1);
        assertThat(fx.rejected("hj212", "bad-password")).isEqualTo(1);
    }

    @Test
    void aCommandIngestDoesNotTakeIsRefusedWithBadCn() {
        ch.writeInbound(new Hj212Frame(segment(MN, PW, "1011", 5, ""), "0000", true));
        assertThat(reply().data()).contains("QnRtn=" + QnRtn.BAD_CN);
        assertThat(fx.rejected("hj212", "unsupported-cn")).isEqualTo(1);
    }

    @Test
    void anUnboundFactorIsCountedWhileTheOthersArePublished() {
        ch.writeInbound(new Hj212Frame(segment(MN, PW, "2051", 5,
                dataTime() + ";a99999-Avg=7;a21005-Min=1,a21005-Avg=2,a21005-Max=3"), "0000", true));
        assertThat(reply().data()).contains("CN=9014");
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.readings.size() == 3);
        assertThat(fx.readings).extracting(Reading::statistic).containsExactly(Statistic.MIN, Statistic.AVG, Statistic.MAX);
        assertThat(fx.readings).extracting(Reading::period).containsOnly(Period.MINUTE);
        assertThat(fx.rejected("hj212", "unknown-factor")).isEqualTo(1);
    }

    @Test
    void framingErrorsAreCountedByTheirReason() {
        ch.writeInbound(new Hj212FrameError("garbage", "12 bytes before ##"));
        assertThat(fx.rejected("hj212", "garbage")).isEqualTo(1);
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void anIdleConnectionIsClosed() {
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        assertThat(ch.isOpen()).isFalse();
    }
}
