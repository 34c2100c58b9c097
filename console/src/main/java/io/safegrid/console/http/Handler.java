package io.safegrid.console.http;

/** Serves one route. Thrown {@link HttpError}s become JSON errors; anything else a 500. */
@FunctionalInterface
public interface Handler {
    Response handle(Request request) throws Exception;
}
