package io.safegrid.model.redline;

import java.util.Locale;

/**
 * A listing's state: listed, under appeal, removed (信用修复 or appeal upheld), or handed to the
 * market regulator for removal from the business register (商事主体除名).
 */
public enum EntryState {
    LISTED, APPEALED, REMOVED, HANDED_OFF;

    public String id() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    public boolean open() { return this == LISTED || this == APPEALED; }
}
