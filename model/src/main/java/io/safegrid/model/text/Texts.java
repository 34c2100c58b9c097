package io.safegrid.model.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The wording of machine-made texts (findings, level names, finding kinds) in Chinese and English,
 * kept as message keys with named parameters so each reader gets one language: the console renders
 * them in the browser from the same bundle ({@link #bundle}), notifications in the recipient's.
 * <p>Templates name their parameters {@code {name}}. When rendering in language {@code L} a
 * parameter {@code name_L} wins over {@code name} (so producers can pass names known in both
 * languages, e.g. {@code metric_zh}/{@code metric_en}); a value starting with {@code @} is itself a
 * message key rendered in the same language (e.g. {@code @kind.FIRE}).
 */
public final class Texts {
    /** The languages there are bundles for; the first is the default. */
    public static final List<String> LANGUAGES = List.of("zh", "en");
    private static final Map<String, Map<String, String>> BUNDLES = new LinkedHashMap<>();

    static {
        for (String lang : LANGUAGES) {
            BUNDLES.put(lang, load("messages_" + lang + ".properties"));
        }
    }

    private Texts() {
    }

    private static Map<String, String> load(String name) {
        Properties p = new Properties();
        try (InputStream in = Texts.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("message bundle " + name + " missing from the model jar");
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> m = new TreeMap<>();
        p.forEach((k, v) -> m.put((String) k, (String) v));
        return Map.copyOf(m);
    }

    /** {@code zh} unless {@code lang} names another bundle ({@code en}, {@code en-GB} …). */
    public static String language(String lang) {
        if (lang != null) {
            String l = lang.strip().toLowerCase(java.util.Locale.ROOT);
            for (String known : LANGUAGES) {
                if (l.equals(known) || l.startsWith(known + "-") || l.startsWith(known + "_")) {
                    return known;
                }
            }
        }
        return LANGUAGES.get(0);
    }

    /** Every key and template of one language. */
    public static Map<String, String> bundle(String lang) {
        return BUNDLES.get(language(lang));
    }

    public static boolean has(String key) {
        return BUNDLES.get(LANGUAGES.get(0)).containsKey(key);
    }

    /** The text of {@code key} in {@code lang} with its parameters filled in; an unknown key renders as itself. */
    public static String render(String key, Map<String, String> args, String lang) {
        String l = language(lang);
        String template = BUNDLES.get(l).get(key);
        if (template == null) {
            return key;
        }
        Map<String, String> a = args == null ? Map.of() : args;
        StringBuilder out = new StringBuilder(template.length() + 16);
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            int close = open < 0 ? -1 : template.indexOf('}', open);
            if (open < 0 || close < 0) {
                out.append(template, i, template.length());
                break;
            }
            out.append(template, i, open);
            String name = template.substring(open + 1, close);
            String v = a.containsKey(name + "_" + l) ? a.get(name + "_" + l) : a.get(name);
            if (v != null && v.startsWith("@") && v.length() > 1) {
                v = render(v.substring(1), a, l);
            }
            out.append(v == null ? "" : v);
            i = close + 1;
        }
        return out.toString();
    }

    /** Chinese, then English: for logs, stores and channels that have one text for every reader. */
    public static String bilingual(String key, Map<String, String> args) {
        return render(key, args, "zh") + " / " + render(key, args, "en");
    }

    /** A number as texts show it: at most 4 significant digits, no trailing zeros, "-" for none. */
    public static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "-";
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
