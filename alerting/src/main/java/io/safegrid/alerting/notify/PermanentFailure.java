package io.safegrid.alerting.notify;

/** A send that will fail the same way however often it is tried (bad settings, no address, HTTP 4xx). */
public class PermanentFailure extends Exception {
    public PermanentFailure(String message) {
        super(message);
    }
}
