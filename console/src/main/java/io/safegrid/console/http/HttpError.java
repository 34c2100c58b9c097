package io.safegrid.console.http;

/** An error with the HTTP status it should be answered with. */
public class HttpError extends RuntimeException {
    private final int status;

    public HttpError(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() { return status; }
}
