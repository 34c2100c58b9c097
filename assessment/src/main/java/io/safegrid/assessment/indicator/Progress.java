package io.safegrid.assessment.indicator;

/** Told how far a long measurement or report got: {@code done} 0..1 and what it does now. */
@FunctionalInterface
public interface Progress {
    Progress NONE = (done, phase) -> { };

    void at(double done, String phase);
}
