package io.safegrid.ingest.json;

/** A JSON payload that cannot be read as readings; the message is fit to send back to the device. */
public final class PayloadException extends Exception {
    private final String reason;

    public PayloadException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** Short metric tag, e.g. {@code bad-json}. */
    public String reason() { return reason; }
}
