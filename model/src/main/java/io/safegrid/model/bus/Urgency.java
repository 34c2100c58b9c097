package io.safegrid.model.bus;

/**
 * How soon a consumer group must run once a message is there. On a busy node the alarm path (the
 * rules judging readings, alerting turning findings into alarms and notifications) waits for a core
 * behind bulk work such as recording; its threads run at {@link Thread#MAX_PRIORITY} so the OS
 * schedules them first. That takes effect where the JVM maps Java priorities to OS ones and may
 * raise them: the launcher's {@code -XX:ThreadPriorityPolicy=1} plus root, {@code CAP_SYS_NICE} or a
 * {@code LimitNICE}; elsewhere it is harmless (see docs/operations.md, "Thread priorities"). Where
 * allowed, urgent threads also run real-time ({@link Realtime}): a woken one then does not wait for
 * a core at all.
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
    URGENT(Thread.MAX_PRIORITY),
    /**
     * Like {@link #URGENT}, for a handler that takes microseconds and keeps its own state per key (the
     * rules judging each reading): a bus that can runs it on the publisher's thread as part of the
     * publish, one call at a time per partition, so a message costs no hand-over and no wake-up
     * (at 50,000 readings a second those were most of the alarm path's context switches). A bus
     * between processes runs it on an {@link #URGENT} consumer. The handler may block only as a
     * publish does, on a full topic downstream, which then holds its publisher back.
     */
    IMMEDIATE(Thread.MAX_PRIORITY);

    /** How long a {@link #BULK} consumer sleeps when it found nothing. */
    public static final long BULK_PATIENCE_NANOS = 5_000_000;

    private final int threadPriority;

    Urgency(int threadPriority) {
        this.threadPriority = threadPriority;
    }

    /** {@link #URGENT} or {@link #IMMEDIATE}: the threads a reading passes on its way to a person. */
    public boolean onAlarmPath() {
        return this == URGENT || this == IMMEDIATE;
    }

    /** The Java priority for the group's consumer threads. */
    public int threadPriority() {
        return threadPriority;
    }

    /**
     * A daemon thread at this urgency's priority (not started). An {@link #URGENT} (or
     * {@link #IMMEDIATE}) one first asks for real-time scheduling when that is on ({@link Realtime}).
     */
    public Thread newThread(Runnable r, String name) {
        Runnable body = onAlarmPath() && Realtime.enabled() ? () -> {
            Realtime.applyToCurrentThread();
            r.run();
        } : r;
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.setPriority(threadPriority);
        return t;
    }

    /**
     * Makes something that starts threads of its own (an HTTP client's selector) on a thread of this
     * urgency, so that they take its scheduling: a new thread inherits its creator's priority and,
     * under Linux, its real-time policy.
     */
    public <T> T makeOnThread(java.util.function.Supplier<T> make) {
        java.util.concurrent.FutureTask<T> task = new java.util.concurrent.FutureTask<>(make::get);
        newThread(task, "urgency-maker").start();
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making " + make, e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
