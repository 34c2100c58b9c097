package io.safegrid.config;

/**
 * {@code node.threads:}, how the node schedules its threads. The alarm path's threads (the rules,
 * alerting, the notification senders) can run ahead of bulk work such as recording.
 *
 * @param priorities    urgent threads at the highest Java priority; the JVM hands that to the OS only with
 *                      {@code -XX:ThreadPriorityPolicy=1} and the right to raise a nice value
 * @param realtime      urgent threads under Linux {@code SCHED_FIFO} 1: {@link Realtime#ON}, {@link Realtime#OFF},
 *                      or {@link Realtime#AUTO} where this process is allowed it (root or an RLIMIT_RTPRIO of 1+)
 * @param opencvThreads OpenCV's own worker threads for video analysis (1: none, every call runs on the
 *                      camera's thread; -1: OpenCV's default of one per core); set once, when the first
 *                      camera starts
 */
public record ThreadSettings(boolean priorities, Realtime realtime, int opencvThreads) {

    /** Whether urgent threads ask for real-time scheduling. */
    public enum Realtime { OFF, ON, AUTO }

    public static ThreadSettings defaults() {
        return new ThreadSettings(true, Realtime.OFF, 1);
    }
}
