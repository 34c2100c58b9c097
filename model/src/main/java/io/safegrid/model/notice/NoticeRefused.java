package io.safegrid.model.notice;

/** A channel refused a notice for good (a wrong address, a channel no longer configured): not retried. */
public class NoticeRefused extends Exception {
    public NoticeRefused(String message, Throwable cause) {
        super(message, cause);
    }
}
