package io.safegrid.node.doctor;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The operator-facing texts of start-up checks and {@code safegrid doctor}, by message key, in Chinese
 * or English ({@code messages.properties}, {@code messages_zh.properties} beside this class). The
 * language is {@code --lang}, else {@code SAFEGRID_LANG}, else the system locale.
 */
public final class Texts {
    private final ResourceBundle bundle;
    private final Locale locale;

    private Texts(Locale locale) {
        this.locale = locale;
        this.bundle = ResourceBundle.getBundle("io.safegrid.node.doctor.messages", locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    public static Texts of(String lang) {
        return new Texts(lang != null && lang.toLowerCase(Locale.ROOT).startsWith("zh") ? Locale.CHINESE : Locale.ROOT);
    }

    /** {@code lang} if given, else {@code SAFEGRID_LANG}, else the system locale's language. */
    public static Texts choose(String lang) {
        if (lang == null || lang.isBlank()) {
            lang = System.getenv("SAFEGRID_LANG");
        }
        if (lang == null || lang.isBlank()) {
            lang = Locale.getDefault().getLanguage();
        }
        return of(lang);
    }

    public Locale locale() { return locale; }

    public String get(String key, Object... args) {
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
        return args.length == 0 ? pattern : new MessageFormat(pattern, locale).format(args);
    }
}
