package io.safegrid.model.scheduling;

import io.safegrid.model.bus.Urgency;

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

    /** {@code body}, run after {@link #enter}ing {@code urgency}: what a stage passes to its thread. */
    default Runnable at(Urgency urgency, Runnable body) {
        return () -> {
            enter(urgency);
            body.run();
        };
    }
}
