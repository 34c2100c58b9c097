package io.safegrid.alerting.notify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageRendererTest {
    final Message m = Samples.message();

    @Test
    void theFactsComeFromTheGridTheSensorAndTheCatalogue() {
        assertThat(m.place()).containsExactly("蒲县", "克城镇", "三村", "七号煤矿");
        assertThat(m.device()).isEqualTo("T1 (ch4-1)");
        assertThat(m.unit()).isEqualTo("%");
        assertThat(m.link()).isEqualTo("https://safegrid.puxian.example/#/alarms/a-42");
        assertThat(m.eventSeq()).isEqualTo(7);
    }

    @Test
    void aPersonsLinkOpensThePhonePageSignedForThemAndExpiresADayLater() {
        Samples.alarm();
        io.safegrid.config.Deployment d = Samples.county(java.util.List.of(), java.util.List.of());
        io.safegrid.model.alarm.Alarm a = Samples.alarm();
        Message mine = MessageRenderer.message(d, a, new io.safegrid.model.alarm.AlarmEvent(7,
                io.safegrid.model.alarm.AlarmEvent.Type.RAISED, a.id(), Samples.AT, "system", null, a), "mine", "kzs");
        assertThat(mine.link()).startsWith("https://safegrid.puxian.example/m/a-42?t=");
        String token = mine.link().substring(mine.link().indexOf("?t=") + 3);
        io.safegrid.config.link.AlarmLinks links = io.safegrid.config.link.AlarmLinks.forDataDir(d.node().dataDir());
        assertThat(links.verify("a-42", token, Samples.AT)).get().extracting(g -> g.user()).isEqualTo("kzs");
        assertThat(links.verify("a-42", token, Samples.AT.plus(java.time.Duration.ofHours(24)))).isEmpty();
        assertThat(MessageRenderer.plain(mine, 200)).endsWith(mine.link());
    }

    @Test
    void markdownSaysLevelPlaceValueTimeAndLinkInBothLanguages() {
        String md = MessageRenderer.markdown(m);
        assertThat(md).contains("二级(橙色)预警", "Level 2 (orange)", "甲烷超限", "Methane over limit",
                "蒲县 / 克城镇 / 三村 / 七号煤矿", "T1 (ch4-1)", "1.2%（阈值 1%）", "1.2 % (threshold 1 %)",
                "2026-11-29 10:05:09", "新告警", "(https://safegrid.puxian.example/#/alarms/a-42)");
    }

    @Test
    void smsTextIsCappedButKeepsTheWholeLink() {
        String full = MessageRenderer.plain(m, 500);
        assertThat(full).startsWith("【二级(橙色)预警】蒲县克城镇三村七号煤矿").contains("11-29 10:05").endsWith("#/alarms/a-42");
        String capped = MessageRenderer.plain(m, 70);
        assertThat(capped.codePointCount(0, capped.length())).isLessThanOrEqualTo(70);
        assertThat(capped).contains("…").endsWith(" https://safegrid.puxian.example/#/alarms/a-42");
    }

    @Test
    void mailHasASubjectAndEscapedHtml() {
        assertThat(MessageRenderer.subject(m)).isEqualTo("【二级(橙色)预警】七号煤矿 甲烷超限 / Level 2 (orange): Methane over limit");
        Message evil = new Message(m.alarmId(), 1, m.event(), m.level(), m.kind(), m.state(), m.sourceId(), "<script>x</script>",
                m.place(), null, null, null, null, "", m.time(), "a & b", m.link(), m.reason());
        String html = MessageRenderer.html(evil);
        assertThat(html).contains("&lt;script&gt;x&lt;/script&gt;", "a &amp; b").doesNotContain("<script>");
        assertThat(MessageRenderer.text(evil)).doesNotContain("数值").as("no value line without a value");
    }
}
