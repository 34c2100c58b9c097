package io.safegrid.analytics.video;

import java.util.List;

/**
 * One kind of look at one camera's pictures. Stateful (backgrounds, references, dwell timers):
 * one instance per camera, fed frames in order from one thread. Holds native memory, so close it.
 */
public interface FrameAnalyzer extends AutoCloseable {

    /** The name used in config and on the command line: intrusion, people, fire, smoke, tamper. */
    String name();

    /** Looks at one frame; returns the conditions that began or ended with it (usually none). */
    List<Detection> analyze(AnalysisFrame frame);

    @Override
    void close();
}
