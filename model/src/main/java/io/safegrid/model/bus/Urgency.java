package io.safegrid.model.bus;

/**
 * How soon a consumer group must run once a message is there. On a busy node the alarm path (the
 * rules judging readings, alerting turning findings into alarms and notifications) waits for a core
 * behind bulk work such as recording; its threads run at {@link Thread#MAX_PRIORITY} so the OS
 * schedules them first. That takes effect where the JVM maps Java priorities to OS ones and may
 * raise them: the launcher's {@code -XX:ThreadPriorityPolicy=1} plus root, {@code CAP_SYS_NICE} or a
 * {@code LimitNICE}; elsewhere it is harmless (see docs/operations.md, "Thread priorities").
 */
public enum Urgency {
    /** Bulk work: recording, the console's views, forwarding. */
    NORMAL(Thread.NORM_PRIORITY),
    /** On the way from a reading to a person being told. Keep these groups cheap per message. */
    URGENT(Thread.MAX_PRIORITY);

    private final int threadPriority;

    Urgency(int threadPriority) {
        this.threadPriority = threadPriority;
    }

    /** The Java priority for the group's consumer threads. */
    public int threadPriority() {
        return threadPriority;
    }

    /** A daemon thread at this urgency's priority (not started). */
    public Thread newThread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.setPriority(threadPriority);
        return t;
    }
}
