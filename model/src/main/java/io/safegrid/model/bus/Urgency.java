package io.safegrid.model.bus;

/**
 * How soon a consumer group must run once a message is there. A stage names the urgency of its work;
 * how that is scheduled (thread priority, real-time) is the node's decision, handed to stages and to
 * the bus as a {@link io.safegrid.model.scheduling.ThreadPolicy}.
 */
public enum Urgency {
    /**
     * Work that may lag a few milliseconds behind a steady stream: recording, the console's device
     * view. A bus may batch its wake-ups instead of waking the group for each message.
     */
    BULK,
    /**
     * Everything else: woken for each message, or once for the messages one publisher offered in one
     * turn of its event loop when it batches its wake-ups ({@link Bus#wakeAfterTurn}).
     */
    NORMAL,
    /** On the way from a reading to a person being told. Keep these groups cheap per message. */
    URGENT;

    /** The threads a reading passes on its way to a person. */
    public boolean onAlarmPath() {
        return this == URGENT;
    }
}
