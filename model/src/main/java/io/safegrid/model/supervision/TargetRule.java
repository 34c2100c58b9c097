package io.safegrid.model.supervision;

import io.safegrid.model.RiskGrade;
import io.safegrid.model.grid.GridPath;

/** Targets by rule: every enterprise in {@code subtree} whose risk grade is {@code minRisk} or higher. */
public record TargetRule(GridPath subtree, RiskGrade minRisk) {
}
