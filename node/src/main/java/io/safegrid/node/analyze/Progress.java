package io.safegrid.node.analyze;

import java.io.PrintWriter;
import java.util.Locale;

/** A one-line progress bar on stderr, redrawn at most every half second: for any long CLI job. */
public final class Progress {
    private final PrintWriter err;
    private final double length;
    private final boolean off;
    private long lastDraw;
    private boolean drawn;

    public Progress(PrintWriter err, double length, boolean off) {
        this.err = err;
        this.length = length;
        this.off = off;
    }

    /** Work done so far, in the same unit as the length (seconds of video). */
    public void at(double t) {
        long now = System.nanoTime();
        if (off || now - lastDraw < 500_000_000L) {
            return;
        }
        lastDraw = now;
        int width = 30;
        double share = length > 0 ? Math.min(1, t / length) : 0;
        int filled = (int) (share * width);
        err.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] "
                + String.format(Locale.ROOT, "%3.0f%% %s / %s", share * 100, clock(t), clock(length)));
        err.flush();
        drawn = true;
    }

    /** Takes the bar off the line, before other output. */
    public void clear() {
        if (drawn) {
            err.print("\r" + " ".repeat(60) + "\r");
            err.flush();
            drawn = false;
            lastDraw = 0;
        }
    }

    public void done() {
        clear();
    }

    /** Seconds of video as m:ss.d. */
    public static String clock(double seconds) {
        int s = (int) seconds;
        return String.format(Locale.ROOT, "%d:%02d.%01d", s / 60, s % 60, (int) ((seconds - s) * 10));
    }
}
