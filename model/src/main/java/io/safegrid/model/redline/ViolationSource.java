package io.safegrid.model.redline;

import java.util.Locale;

/** Where a violation was found: an inspection item, a hazard, an alarm (e.g. a power-off override), or by hand. */
public enum ViolationSource {
    INSPECTION, HAZARD, ALARM, MANUAL;

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static ViolationSource parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown violation source '" + text + "' (inspection, hazard, alarm, manual)");
        }
    }
}
