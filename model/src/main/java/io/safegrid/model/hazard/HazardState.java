package io.safegrid.model.hazard;

import java.util.Locale;

/**
 * Where a hazard stands: reported → assigned (五落实 set) → rectifying → submitted for review →
 * accepted (销号); a rejected review sends it back to rectifying.
 */
public enum HazardState {
    REPORTED, ASSIGNED, RECTIFYING, SUBMITTED, ACCEPTED;

    /** Still somebody's work: every state but accepted. */
    public boolean open() { return this != ACCEPTED; }

    /** The deadline runs: the enterprise has the work in hand (not while a review is pending). */
    public boolean deadlineRuns() { return this == ASSIGNED || this == RECTIFYING; }

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static HazardState parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown hazard state '" + text
                    + "' (reported, assigned, rectifying, submitted, accepted)");
        }
    }
}
