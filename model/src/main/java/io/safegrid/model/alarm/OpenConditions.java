package io.safegrid.model.alarm;

import java.util.List;

/**
 * The conditions alerting holds open: how a stage that judges (analytics' sensor rules, its video-loss
 * watch) takes its state up again after a restart, so the first normal reading (or picture) clears an
 * alarm raised before it.
 * Alerting implements it; the node hands it over (stages never import each other).
 */
@FunctionalInterface
public interface OpenConditions {
    /** Alarms whose condition still holds: raised or acknowledged, not cleared or closed. */
    List<Alarm> active();

    /** For a node without alerting: nothing is known to be open. */
    static OpenConditions none() {
        return List::of;
    }
}
