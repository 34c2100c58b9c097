package io.safegrid.model.finding;

/** Whether a finding reports a condition that holds now or one that has just ended. */
public enum Condition { ACTIVE, CLEARED }
