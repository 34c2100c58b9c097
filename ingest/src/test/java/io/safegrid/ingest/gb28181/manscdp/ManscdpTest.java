package io.safegrid.ingest.gb28181.manscdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** MANSCDP bodies as devices really send them: GB2312, GB18030, UTF-8, declared right or wrong, or not at all. */
class ManscdpTest {
    private static final Charset GB2312 = Charset.forName("GB2312");
    private static final String CATALOG = "<Response><CmdType>Catalog</CmdType><SN>17</SN><DeviceID>34020000001180000001</DeviceID>"
            + "<SumNum>1</SumNum><DeviceList Num=\"1\"><Item><DeviceID>34020000001320000001</DeviceID><Name>%s</Name></Item></DeviceList></Response>";

    private static String nameOf(MansMessage m) {
        return MansMessage.text(m.items("DeviceList").get(0), "Name");
    }

    @Test
    void gb2312DeclaredAndWrittenIsReadAsSuch() throws Exception {
        byte[] body = ("<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n" + CATALOG.formatted("1号井口")).getBytes(GB2312);
        MansMessage m = Manscdp.parse(body, null);
        assertThat(m.kind()).isEqualTo("Response");
        assertThat(m.cmdType()).isEqualTo("Catalog");
        assertThat(m.sn()).isEqualTo(17);
        assertThat(m.deviceId()).isEqualTo("34020000001180000001");
        assertThat(nameOf(m)).isEqualTo("1号井口");
        assertThat(m.charsetGuessed()).isFalse();
    }

    @Test
    void aCharacterOutsideGb2312InAGb2312BodyStillArrives() throws Exception {
        // 㐀 is in GB18030 only: devices that declare GB2312 but write GBK/GB18030 names must not be garbled
        byte[] body = ("<?xml version=\"1.0\" encoding=\"GB2312\"?>" + CATALOG.formatted("仓库㐀")).getBytes(Manscdp.GB18030);
        assertThat(nameOf(Manscdp.parse(body, null))).isEqualTo("仓库㐀");
    }

    @Test
    void utf8BytesDeclaredAsGb2312AreDetected() throws Exception {
        byte[] body = ("<?xml version=\"1.0\" encoding=\"GB2312\"?>" + CATALOG.formatted("危化品仓库东门")).getBytes(StandardCharsets.UTF_8);
        MansMessage m = Manscdp.parse(body, null);
        assertThat(nameOf(m)).isEqualTo("危化品仓库东门");
        assertThat(m.charsetGuessed()).isTrue();
        assertThat(m.charset()).isEqualTo(StandardCharsets.UTF_8);
    }

    @Test
    void gbBytesWithoutADeclarationAreDetected() throws Exception {
        byte[] body = CATALOG.formatted("东门摄像机").getBytes(GB2312);
        MansMessage m = Manscdp.parse(body, null);
        assertThat(nameOf(m)).isEqualTo("东门摄像机");
        assertThat(m.charset()).isEqualTo(Manscdp.GB18030);
    }

    @Test
    void theContentTypeCharsetCountsWhenTheXmlDeclaresNone() throws Exception {
        byte[] body = CATALOG.formatted("井口").getBytes(GB2312);
        assertThat(Manscdp.parse(body, "GB2312").charsetGuessed()).isFalse();
    }

    @Test
    void brokenBodiesAreRefusedWithAReason() {
        assertThatThrownBy(() -> Manscdp.parse(new byte[0], null)).hasMessageContaining("empty");
        assertThatThrownBy(() -> Manscdp.parse("<Notify><CmdType>Keepalive</Notify>".getBytes(StandardCharsets.UTF_8), null))
                .hasMessageContaining("not well-formed");
        assertThatThrownBy(() -> Manscdp.parse("<Notify><SN>1</SN></Notify>".getBytes(StandardCharsets.UTF_8), null))
                .hasMessageContaining("no CmdType");
        assertThatThrownBy(() -> Manscdp.parse(("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<Notify><CmdType>&e;</CmdType></Notify>").getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOf(MansException.class);
    }
}
