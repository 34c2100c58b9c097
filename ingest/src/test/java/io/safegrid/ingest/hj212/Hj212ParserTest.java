package io.safegrid.ingest.hj212;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class Hj212ParserTest {

    @Test
    void parsesTheStandardExampleHeader() throws Exception {
        Hj212Packet p = Hj212Parser.parse(Hj212CrcTest.EXAMPLE_DATA);
        assertThat(p.qn()).isEqualTo("20160801085857223");
        assertThat(p.st()).isEqualTo("32");
        assertThat(p.cn()).isEqualTo("1062");
        assertThat(p.pw()).isEqualTo("100000");
        assertThat(p.mn()).isEqualTo("010000A8900016F000169DC0");
        assertThat(p.flag()).isEqualTo(5);
        assertThat(p.answerRequested()).isTrue();
        assertThat(p.split()).isFalse();
        assertThat(p.version()).isEqualTo(1);
        assertThat(p.cp()).isEqualTo("RtdInterval=30");
        assertThat(Hj212Parser.dataArea(p.cp()).other()).containsEntry("RtdInterval", "30");
    }

    @Test
    void dataAreaGroupsFieldsByFactor() throws Exception {
        DataArea a = Hj212Parser.dataArea(
                "DataTime=20160801085857;w01001-Rtd=8.33,w01001-Flag=N;a21005-Rtd=0.00,a21005-Flag=D;SB1-RS=1");
        assertThat(a.dataTime()).isEqualTo(LocalDateTime.of(2016, 8, 1, 8, 58, 57));
        assertThat(a.factors().get("w01001")).containsEntry("Rtd", "8.33").containsEntry("Flag", "N");
        assertThat(a.factors().get("a21005")).containsEntry("Flag", "D");
        assertThat(a.factors().get("SB1")).containsEntry("RS", "1");
    }

    @Test
    void splitPacketsNeedPnumAndPno() throws Exception {
        Hj212Packet p = Hj212Parser.parse("QN=20160801085857223;ST=32;CN=2011;PW=1;MN=M;Flag=7;PNUM=2;PNO=1;CP=&&&&");
        assertThat(p.split()).isTrue();
        assertThat(p.pnum()).isEqualTo(2);
        assertThat(p.pno()).isEqualTo(1);
        assertThatThrownBy(() -> Hj212Parser.parse("ST=32;CN=2011;PW=1;MN=M;Flag=7;CP=&&&&"))
                .isInstanceOfSatisfying(Hj212Exception.class, e -> assertThat(e.qnRtn()).isEqualTo(QnRtn.BAD_FLAG));
    }

    @Test
    void badFieldsGiveTheirQnRtn() {
        assertThatThrownBy(() -> Hj212Parser.parse("QN=2016;ST=32;CN=2011;PW=1;MN=M;Flag=5;CP=&&&&"))
                .isInstanceOfSatisfying(Hj212Exception.class, e -> assertThat(e.qnRtn()).isEqualTo(QnRtn.BAD_QN));
        assertThatThrownBy(() -> Hj212Parser.parse("ST=x;CN=2011;PW=1;MN=M;CP=&&&&"))
                .isInstanceOfSatisfying(Hj212Exception.class, e -> assertThat(e.qnRtn()).isEqualTo(QnRtn.BAD_ST));
        assertThatThrownBy(() -> Hj212Parser.parse("ST=32;CN=20;PW=1;MN=M;CP=&&&&"))
                .isInstanceOfSatisfying(Hj212Exception.class, e -> assertThat(e.qnRtn()).isEqualTo(QnRtn.BAD_CN));
        assertThatThrownBy(() -> Hj212Parser.parse("ST=32;CN=2011;PW=1;CP=&&&&"))
                .isInstanceOfSatisfying(Hj212Exception.class, e -> assertThat(e.qnRtn()).isEqualTo(QnRtn.BAD_MN));
        assertThatThrownBy(() -> Hj212Parser.parse("ST=32;CN=2011;PW=1;MN=M"))
                .isInstanceOf(Hj212Exception.class).hasMessageContaining("CP");
        assertThatThrownBy(() -> Hj212Parser.dataArea("DataTime=2016-08-01"))
                .isInstanceOf(Hj212Exception.class).hasMessageContaining("DataTime");
    }

    @Test
    void aDayTheCalendarDoesNotHaveIsRefusedNotMovedToTheMonthEnd() throws Exception {
        assertThatThrownBy(() -> Hj212Parser.dataArea("DataTime=20230229120000"))
                .isInstanceOf(Hj212Exception.class).hasMessageContaining("DataTime");
        assertThatThrownBy(() -> Hj212Parser.dataArea("DataTime=20230431120000"))
                .isInstanceOf(Hj212Exception.class).hasMessageContaining("DataTime");
        assertThat(Hj212Parser.dataArea("DataTime=20240229120000").dataTime())
                .isEqualTo(java.time.LocalDateTime.of(2024, 2, 29, 12, 0, 0));
    }

    @Test
    void repliesAreShapedAsTheStandardShowsThem() throws Exception {
        Hj212Packet p = Hj212Parser.parse(Hj212CrcTest.EXAMPLE_DATA);
        assertThat(Hj212Replies.requestReply(p, QnRtn.READY).data())
                .isEqualTo("QN=20160801085857223;ST=91;CN=9011;PW=100000;MN=010000A8900016F000169DC0;Flag=4;CP=&&QnRtn=1&&");
        assertThat(Hj212Replies.dataAck(p).data())
                .isEqualTo("QN=20160801085857223;ST=91;CN=9014;PW=100000;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&");
    }
}
