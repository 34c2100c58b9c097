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
    /**
     * Work that may lag a few milliseconds behind a steady stream: recording, the console's device
     * view. The in-process bus does not wake such a group for each message; its consumer looks every
     * {@link #BULK_PATIENCE_NANOS} instead, so 50,000 readings a second cost it ~200 wake-ups, not
     * tens of thousands (each one a context switch the alarm path would otherwise wait behind).
     */
    BULK(Thread.NORM_PRIORITY),
    /** Everything else: woken for each message, normal priority. */
    NORMAL(Thread.NORM_PRIORITY),
    /** On the way from a reading to a person being told. Keep these groups cheap per message. */
    URGENT(Thread.MAX_PRIORITY);

    /** How long a {@link #BULK} consumer sleeps when it found nothing. */
    public static final long BULK_PATIENCE_NANOS = 5_000_000;

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
