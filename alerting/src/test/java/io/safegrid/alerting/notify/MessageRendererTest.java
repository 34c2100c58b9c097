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
    void aNodeWhoseLinkKeyCannotBeReadStillSendsTheNotificationWithTheConsoleLink(@org.junit.jupiter.api.io.TempDir
                                                                                   java.nio.file.Path dir) throws Exception {
        // what a full or broken data disk leaves: no key file that can be read or written
        java.nio.file.Files.createDirectory(dir.resolve(io.safegrid.config.link.AlarmLinks.KEY_FILE));
        io.safegrid.config.Deployment county = Samples.county(java.util.List.of(), java.util.List.of());
        io.safegrid.config.NodeSettings n = county.node();
        io.safegrid.config.Deployment d = io.safegrid.testing.Deployments.from(county).node(new io.safegrid.config.NodeSettings(
                n.nodeId(), n.roles(), n.bindAddress(), n.httpPort(), n.mqttPort(), n.hj212Port(), n.ingestHttpPort(),
                n.videoPushPort(), dir, n.maxPayloadBytes(), n.maxReadingsPerSecondPerDevice(), n.consoleUrl(),
                n.maxSnapshotBytes())).build();
        io.safegrid.model.alarm.Alarm a = Samples.alarm();
        Message mine = MessageRenderer.message(d, a, new io.safegrid.model.alarm.AlarmEvent(7,
                io.safegrid.model.alarm.AlarmEvent.Type.RAISED, a.id(), Samples.AT, "system", null, a), "mine", "kzs");
        assertThat(mine.link()).isEqualTo("https://safegrid.puxian.example/#/alarms/a-42");
        assertThat(MessageRenderer.text(mine)).contains("甲烷");
    }

    @Test
    void aRecipientWithALanguageReadsOnlyThatLanguage() {
        java.util.regex.Pattern han = java.util.regex.Pattern.compile("\\p{IsHan}");
        java.util.regex.Pattern latin = java.util.regex.Pattern.compile("[A-Za-z]{3,}");
        Message en = new Message(m.alarmId(), m.eventSeq(), m.event(), m.level(), m.kind(), m.state(), m.sourceId(), "T1 (ch4-1)",
                m.place(), m.metricZh(), m.metricEn(), m.value(), m.threshold(), m.unit(), m.time(),
                "甲烷 1.2% 超限（二级(橙色)预警） / Methane 1.2% over limit (Level 2 (orange))", "https://x.example/m/a-42?t=k",
                m.reason(), "en");
        Message zh = new Message(en.alarmId(), en.eventSeq(), en.event(), en.level(), en.kind(), en.state(), en.sourceId(),
                en.device(), en.place(), en.metricZh(), en.metricEn(), en.value(), en.threshold(), en.unit(), en.time(), en.text(),
                en.link(), en.reason(), "zh");
        // place names are names: taken out before looking for the other language
        java.util.function.Function<String, String> names = t -> t.replace("蒲县", "").replace("克城镇", "").replace("三村", "")
                .replace("七号煤矿", "").replace("https://x.example/m/a-42?t=k", "").replace("ch4", "");
        for (String t : java.util.List.of(MessageRenderer.markdown(en), MessageRenderer.plain(en, 300), MessageRenderer.text(en),
                MessageRenderer.subject(en))) {
            assertThat(han.matcher(names.apply(t)).find()).as(t).isFalse();
        }
        assertThat(MessageRenderer.text(en)).contains("Methane 1.2% over limit", "Beijing time", "Open and acknowledge");
        for (String t : java.util.List.of(MessageRenderer.markdown(zh), MessageRenderer.plain(zh, 300), MessageRenderer.text(zh),
                MessageRenderer.subject(zh), MessageRenderer.html(zh).replaceAll("<[^>]*>", ""))) {
            assertThat(latin.matcher(names.apply(t)).find()).as(t).isFalse();
        }
        assertThat(MessageRenderer.plain(en, 300)).startsWith("[Level 2 (orange)]").contains("please acknowledge");
    }

    @Test
    void aPersonWithoutALanguageReadsChineseOnlyTheDefault() {
        io.safegrid.config.Deployment d = Samples.county(java.util.List.of(), java.util.List.of());
        assertThat(d.users().stream().filter(u -> u.name().equals("kzs")).findFirst().orElseThrow().language()).isNull();
        io.safegrid.model.alarm.Alarm a = Samples.alarm();
        Message kzs = MessageRenderer.message(d, a, new io.safegrid.model.alarm.AlarmEvent(7,
                io.safegrid.model.alarm.AlarmEvent.Type.RAISED, a.id(), Samples.AT, "system", null, a), "mine", "kzs");
        assertThat(kzs.lang()).isEqualTo("zh");
        java.util.regex.Pattern latin = java.util.regex.Pattern.compile("[A-Za-z]{3,}");
        java.util.function.Function<String, String> names = t -> t.replace(kzs.link(), "").replace(kzs.device(), "");
        Message held = kzs.notYetStored();
        for (String t : java.util.List.of(MessageRenderer.markdown(kzs), MessageRenderer.plain(kzs, 300), MessageRenderer.text(kzs),
                MessageRenderer.subject(kzs), MessageRenderer.html(kzs).replaceAll("<[^>]*>", ""), MessageRenderer.text(held))) {
            assertThat(latin.matcher(names.apply(t)).find()).as(t).isFalse();
        }
        assertThat(MessageRenderer.markdown(kzs)).contains("地点", "甲烷超限").doesNotContain("Place", "warning");
        assertThat(MessageRenderer.text(held)).contains("【告警未入库】");
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
