package io.safegrid.model.supervision;

import java.util.Locale;

/** How one check item came out. */
public enum Outcome {
    /** not checked yet */
    PENDING,
    PASS,
    /** failed: to become a hazard in the register */
    FAIL,
    /** failed, and put right on the spot (当场整改) */
    CORRECTED;

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public boolean failed() { return this == FAIL || this == CORRECTED; }

    public static Outcome parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown outcome '" + text + "' (pass, fail, corrected)");
        }
    }
}
