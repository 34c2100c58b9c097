package io.safegrid.console.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.safegrid.model.grid.GridPath;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** JSON in and out for API handlers, with bad input turned into 400s that say what was wrong. */
public final class Api {
    private final ObjectMapper json;

    public Api(ObjectMapper json) { this.json = json; }

    public ObjectMapper mapper() { return json; }

    public Response ok(Object body) throws IOException {
        return Response.json(200, json.writeValueAsString(body));
    }

    public Response status(int status, Object body) throws IOException {
        return Response.json(status, json.writeValueAsString(body));
    }

    /** The request body as a JSON object; 400 when it is not one. */
    public JsonNode body(Request r) {
        if (r.body().length == 0) {
            throw new HttpError(400, "a JSON object body is required");
        }
        try {
            JsonNode n = json.readTree(r.body());
            if (n == null || !n.isObject()) {
                throw new HttpError(400, "the body must be a JSON object");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new HttpError(400, "malformed JSON body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new HttpError(400, "unreadable body: " + e.getMessage());
        }
    }

    /** Longest handling note, comment or close note: what the alarm store's timeline keeps. */
    public static final int NOTE_CHARS = 4000;
    /** Longest silence reason. */
    public static final int REASON_CHARS = 2000;
    /** Longest user name, device id, grid path or other name-like field. */
    public static final int NAME_CHARS = 200;

    /** A text field of the body, or null. */
    public static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    /**
     * A text field of the body (or null), refused with a 400 when longer than {@code maxChars}: checked
     * here, before any store sees it, so an oversized text never reaches the alarm store.
     */
    public static String text(JsonNode body, String field, int maxChars) {
        String v = text(body, field);
        if (v != null && v.length() > maxChars) {
            throw new HttpError(400, "textTooLong", field + " is " + v.length() + " characters long; at most "
                    + maxChars + " are allowed");
        }
        return v;
    }

    public static GridPath path(String text, String what) {
        try {
            return GridPath.parse(text);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, what + ": " + e.getMessage());
        }
    }

    public static Instant instant(String text, String what) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new HttpError(400, what + " must be an ISO-8601 instant like 2026-11-29T02:00:00Z, got '" + text + "'");
        }
    }

    public static int integer(String text, int dflt, int min, int max, String what) {
        if (text == null || text.isBlank()) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(text.trim());
            if (v < min || v > max) {
                throw new HttpError(400, what + " must be between " + min + " and " + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new HttpError(400, what + " must be a whole number, got '" + text + "'");
        }
    }
}
