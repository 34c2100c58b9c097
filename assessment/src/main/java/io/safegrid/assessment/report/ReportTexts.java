package io.safegrid.assessment.report;

import io.safegrid.model.text.Texts;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The wording of the reports in zh and en, from message keys: the report's own bundle, and the
 * model's for level and finding-kind names, so a report says "一级（红色）" as the console does.
 */
public final class ReportTexts {
    private static final Map<String, Properties> BUNDLES = new HashMap<>();

    static {
        for (String lang : Texts.LANGUAGES) {
            Properties p = new Properties();
            try (InputStream in = ReportTexts.class.getResourceAsStream("messages_" + lang + ".properties")) {
                p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            BUNDLES.put(lang, p);
        }
    }

    private final String lang;

    public ReportTexts(String lang) {
        this.lang = Texts.language(lang);
    }

    public String lang() { return lang; }

    /** The text of {@code key} with {@code {name}} replaced by the value after it in {@code args}. */
    public String t(String key, Object... args) {
        String s = BUNDLES.get(lang).getProperty(key);
        if (s == null) {
            throw new IllegalArgumentException("no report text " + key);
        }
        for (int i = 0; i + 1 < args.length; i += 2) {
            s = s.replace("{" + args[i] + "}", String.valueOf(args[i + 1]));
        }
        return s;
    }

    /** A level's name (RED …) or a finding kind's, as the model's bundle words it; the id itself when it has none. */
    public String level(String level) {
        return model("level." + level.toUpperCase(java.util.Locale.ROOT), level);
    }

    public String kind(String kind) {
        return model("kind." + kind, kind);
    }

    private String model(String key, String fallback) {
        return Texts.has(key) ? Texts.render(key, Map.of(), lang) : fallback;
    }
}
