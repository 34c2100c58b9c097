package io.safegrid.model.scheduling;

import io.safegrid.model.bus.Urgency;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * The port through which a stage asks for its threads to be scheduled as their {@link Urgency}
 * says. The node decides what that means (thread priority, real-time) from its configuration and
 * hands one policy to every stage and to the bus; a stage starts its own threads and calls
 * {@link #enter} first thing in each. Threads a thread starts inherit its scheduling, so a pool made
 * on an urgent thread is urgent too.
 */
@FunctionalInterface
public interface ThreadPolicy {

    /** Leaves every thread as the JVM made it: for tests and tools that do not care. */
    ThreadPolicy NONE = urgency -> { };

    /** Puts the calling thread under the scheduling chosen for {@code urgency}. Must not fail. */
    void enter(Urgency urgency);

    /**
     * Gives a process on this machine that does the work of this stage's {@code urgency} threads (the
     * database server process behind a stage's own connection) their scheduling as well, where the node
     * may: otherwise a woken urgent thread hands its work to a process that still waits for a core.
     * {@code name} is the process's expected name, so that a number from another machine or PID space is
     * never taken for a process here. True when the process runs so afterwards. Must not fail.
     */
    default boolean serveAlongside(Urgency urgency, long pid, String name) {
        return false;
    }

    /** {@code body}, run after {@link #enter}ing {@code urgency}: what a stage passes to its thread. */
    default Runnable at(Urgency urgency, Runnable body) {
        return () -> {
            enter(urgency);
            body.run();
        };
    }

    /**
     * Makes something that starts threads of its own (an HTTP client's selector, a pool) on a thread of
     * {@code urgency}, so that they take its scheduling: a new thread inherits its creator's priority
     * and, under Linux, its real-time policy.
     */
    default <T> T makeOn(Urgency urgency, Supplier<T> make) {
        FutureTask<T> task = new FutureTask<>(make::get);
        Thread t = new Thread(at(urgency, task), "scheduling-maker");
        t.setDaemon(true);
        t.start();
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making " + make, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
