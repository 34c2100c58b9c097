package io.safegrid.console.session;

import java.util.Locale;

/**
 * What a console user may do inside their grid scope. Everyone reads and handles alarms (ack,
 * comment, assign, close) in scope; silences mute notifications, so an enterprise must not mute
 * its own supervisors: only supervision roles create them, and only admin for the whole county.
 */
public enum Role {
    ADMIN, COUNTY_OPERATOR, TOWNSHIP_OFFICER, ENTERPRISE_OPERATOR;

    public static Role parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no role");
        }
        return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    public String id() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    public boolean maySilence() { return this != ENTERPRISE_OPERATOR; }
}
