package io.safegrid.model.device;

/** What a polygon drawn on a camera's picture is for. */
public enum ZonePurpose {
    /** Nobody may enter (intrusion). */
    RESTRICTED,
    /** People may not stand here while it is dangerous (person in danger zone). */
    DANGER,
    /** Somebody must be here (post left unattended). */
    POST,
    /** At most N people (crowding). */
    CROWD,
    /** Protective gear required (helmet, vest): where a vendor model's {@code purpose: ppe} rules apply. */
    PPE;

    public static ZonePurpose parse(String text) {
        return valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
