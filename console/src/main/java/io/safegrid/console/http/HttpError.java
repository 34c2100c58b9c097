package io.safegrid.console.http;

/**
 * An error with the HTTP status it should be answered with. {@code key} names the UI's message
 * (i18n.js {@code err_<key>}) so the screen can say it in the user's language; the English
 * {@code message} is for API clients and logs.
 */
public class HttpError extends RuntimeException {
    private final int status;
    private final String key;

    public HttpError(int status, String message) {
        this(status, null, message);
    }

    public HttpError(int status, String key, String message) {
        super(message);
        this.status = status;
        this.key = key;
    }

    public int status() { return status; }

    /** The message key, or null for errors the UI shows as the API worded them. */
    public String key() { return key; }
}
