package io.safegrid.model.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.model.Level;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TextsTest {
    private static final Pattern HAN = Pattern.compile("\\p{IsHan}");
    private static final Pattern LATIN_WORD = Pattern.compile("[A-Za-z]{3,}");

    @Test
    void bothBundlesHaveTheSameKeysAndEachIsInItsOwnLanguage() {
        Map<String, String> zh = Texts.bundle("zh");
        Map<String, String> en = Texts.bundle("en");
        assertThat(en.keySet()).isEqualTo(zh.keySet());
        for (FindingKind k : FindingKind.values()) {
            assertThat(zh).containsKey("kind." + k.name());
        }
        // a template's words, not its parameter names, must be in its language
        zh.forEach((k, v) -> assertThat(LATIN_WORD.matcher(v.replaceAll("\\{[^}]*}", "")).find())
                .as("zh %s = %s", k, v).isFalse());
        en.forEach((k, v) -> assertThat(HAN.matcher(v).find()).as("en %s = %s", k, v).isFalse());
    }

    @Test
    void parametersInTheReadersLanguageWinAndAtValuesAreKeys() {
        Map<String, String> args = Map.of("metric_zh", "甲烷", "metric_en", "Methane", "value", "1.2", "unit", "%",
                "what_zh", "超限 >1", "what_en", "over limit >1", "state", "@level.ORANGE");
        assertThat(Texts.render("sensor.finding", args, "zh")).isEqualTo("甲烷 1.2% 超限 >1（二级(橙色)预警）");
        assertThat(Texts.render("sensor.finding", args, "en")).isEqualTo("Methane 1.2% over limit >1 (Level 2 (orange))");
        assertThat(Texts.render("sensor.finding", args, "en-GB")).startsWith("Methane");
        assertThat(Texts.render("no.such.key", args, "zh")).isEqualTo("no.such.key");
        assertThat(Texts.render("video.inZone", Map.of("zone", "A"), "en")).isEqualTo(" in 'A'");
    }

    @Test
    void aFindingWithoutAKeySaysItsKindInTheReadersLanguage() {
        Finding f = new Finding("f", FindingKind.TAMPER_COVERED, Level.YELLOW, Condition.CLEARED, "cam", null, "r", null,
                1, 2, Instant.EPOCH, "camera covered ended", null, null);
        assertThat(f.text("zh")).isEqualTo("遮挡/黑屏已解除");
        assertThat(f.text("en")).isEqualTo("camera covered ended");
        Finding z = new Finding("f", FindingKind.INTRUSION, Level.ORANGE, Condition.ACTIVE, "cam", null, "r", "gate",
                1, 2, Instant.EPOCH, "x", null, null);
        assertThat(z.text("zh")).isEqualTo("区域入侵（区域“gate”）");
        assertThat(z.withLevel(Level.RED).messageKey()).isEqualTo(z.messageKey());
    }
}
