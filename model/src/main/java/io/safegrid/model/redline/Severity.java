package io.safegrid.model.redline;

import java.util.Locale;

/** How grave a violation is: 一般 or 严重 (the red-line rules count the serious ones). */
public enum Severity {
    GENERAL, SERIOUS;

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static Severity parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown severity '" + text + "' (general, serious)");
        }
    }
}
