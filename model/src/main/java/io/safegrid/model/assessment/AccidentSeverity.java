package io.safegrid.model.assessment;

/** How grave a production-safety accident was; the configuration names which ones veto a score. */
public enum AccidentSeverity {
    /** At least one death (死亡事故). */
    FATAL,
    /** Serious injuries, nobody dead (重伤事故). */
    SERIOUS,
    /** Anything less (一般事故/轻伤). */
    MINOR
}
