package io.safegrid.model.video;

/**
 * Thins one camera's pictures to its analysis rate by stream time: a picture is taken when it is
 * due, and the next one falls due {@code 1/fps} later. The schedule runs on from the last due
 * time rather than the taken picture's, so 25 fps thinned to 5 takes every fifth picture and not
 * every sixth; it never falls more than half an interval behind the stream, so a gap (a reconnect,
 * a dropped run) does not make a burst. The one formula the intake, the analytics stage and the
 * CLI share. Not thread-safe: one per camera, used by one thread at a time.
 */
public final class AnalysisRate {
    /** Timestamps are microseconds: a picture a rounding error before its due time is due. */
    private static final double SLACK = 1e-6;

    private final double fps;
    private double nextDue = Double.NEGATIVE_INFINITY;

    /** @param fps pictures per second of stream time; 0 or less takes every picture */
    public AnalysisRate(double fps) {
        this.fps = fps;
    }

    public double fps() { return fps; }

    /** Whether a picture at this stream time (seconds) would be taken, without taking it. */
    public boolean due(double streamTime) {
        return fps <= 0 || streamTime + SLACK >= nextDue;
    }

    /** Takes the picture if it is due and moves the schedule on; false if it is to be dropped. */
    public boolean take(double streamTime) {
        if (!due(streamTime)) {
            return false;
        }
        if (fps > 0) {
            nextDue = Math.max(nextDue + 1 / fps, streamTime + 0.5 / fps);
        }
        return true;
    }

    /** The stream started again from an earlier time: the next picture is due at once. */
    public void restart() {
        nextDue = Double.NEGATIVE_INFINITY;
    }
}
