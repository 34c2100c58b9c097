package io.safegrid.supervision.plan;

import io.safegrid.model.hazard.HazardRefused;
import io.safegrid.model.hazard.HazardRefused.Kind;

/** The refusals of the supervision stores, answered by the console as the hazard register's (400/403/409). */
public final class Refuse {
    private Refuse() {
    }

    public static HazardRefused invalid(String key, String message) {
        return new HazardRefused(Kind.INVALID, key, message);
    }

    public static HazardRefused forbidden(String key, String message) {
        return new HazardRefused(Kind.FORBIDDEN, key, message);
    }

    public static HazardRefused conflict(String key, String message) {
        return new HazardRefused(Kind.CONFLICT, key, message);
    }

    /** {@code text} stripped, or null when blank; refused when longer than {@code max}. */
    public static String text(String text, int max, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip();
        if (t.length() > max) {
            throw invalid("svTooLong", field + " is longer than " + max + " characters");
        }
        return t;
    }

    public static String required(String text, int max, String field, String key) {
        String t = text(text, max, field);
        if (t == null) {
            throw invalid(key, field + " is required");
        }
        return t;
    }
}
