package io.safegrid.node.simulate;

/**
 * When things happen in the simulated picture, in seconds from the start; the script repeats
 * every {@code period} seconds. The default is made for the demo: something to find within a minute.
 */
public record SceneScript(double personIn, double personOut, double fireStart, double fireEnd, double coverStart,
                          double coverEnd, double period) {

    /**
     * 10 s quiet (the analyzers learn the scene), a person walks into the restricted zone at about
     * 14 s and leaves at 28 s, a flame burns 30–45 s, the lens is covered 50–58 s, quiet to 90 s.
     */
    public static SceneScript demo() {
        return new SceneScript(10, 28, 30, 45, 50, 58, 90);
    }

    /** Only the quiet scene (for a baseline, or a camera that should raise nothing). */
    public static SceneScript quiet() {
        return new SceneScript(-1, -1, -1, -1, -1, -1, 60);
    }

    double local(double t) {
        return t % period;
    }
}
