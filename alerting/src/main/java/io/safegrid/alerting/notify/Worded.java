package io.safegrid.alerting.notify;

/**
 * A channel that carries any {@link Wording}: an alarm notification's (its {@link Message}) or a grid
 * notice's. The notification's message may be null when the wording is a notice's.
 */
public interface Worded extends Notifier {
    void send(Notification n, Wording w) throws Exception;

    @Override
    default void send(Notification n) throws Exception {
        send(n, new AlarmWording(n.message()));
    }
}
