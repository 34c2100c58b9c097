package io.safegrid.console.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A complete response; small enough to build in memory. */
public record Response(int status, String contentType, byte[] body, Map<String, String> headers) {

    public static Response text(int status, String contentType, String body) {
        return new Response(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static Response json(int status, String json) {
        return text(status, "application/json; charset=utf-8", json);
    }

    /** The same response with one more header. */
    public Response with(String name, String value) {
        Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new Response(status, contentType, body, h);
    }

    public static Response bytes(String contentType, byte[] body) {
        return new Response(200, contentType, body, Map.of());
    }
}
