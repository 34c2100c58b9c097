package io.safegrid.hazard.deadline;

/**
 * What one bounded pass of the deadline scanner did: the notices it created, and whether it reached
 * everything that was due ({@code complete}) or stopped at its time budget with more left for the next.
 */
public record ScanPass(int created, boolean complete) {
    /** One chunk (one transaction): notices created, items looked at, and whether it was full (more may be due). */
    public record Chunk(int created, int looked, boolean full) {
    }
}
