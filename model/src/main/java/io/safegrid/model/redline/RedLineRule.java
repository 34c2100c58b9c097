package io.safegrid.model.redline;

/**
 * A red-line rule: {@code count} violations of {@code severity} or worse within {@code windowDays}
 * make an enterprise a candidate for the red-line list (e.g. three serious violations in a year).
 * {@code source}, when set, counts only violations from there (e.g. alarm: repeated power-off overrides).
 */
public record RedLineRule(String id, String name, Severity severity, ViolationSource source, int count, int windowDays,
                          boolean active) {
}
