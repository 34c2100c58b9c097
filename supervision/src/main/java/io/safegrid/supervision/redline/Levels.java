package io.safegrid.supervision.redline;

import io.safegrid.model.hazard.Actor;
import io.safegrid.model.redline.RedLineEntry;
import io.safegrid.supervision.plan.Refuse;

/**
 * Who may act on a listing, by level: the county is the grid's root; a listing is ended (信用修复, an
 * upheld appeal) by the unit that listed it or one above it, never by a unit below or beside it.
 */
final class Levels {
    private Levels() {
    }

    static boolean county(Actor a) {
        return a.supervisor() && a.scope().isRoot();
    }

    static void mayRemove(Actor a, RedLineEntry e) {
        if (!a.supervisor() || !e.level().isWithin(a.scope())) {
            throw Refuse.forbidden("rlListingLevel", "only " + e.level() + " or a level above it ends this listing");
        }
    }
}
