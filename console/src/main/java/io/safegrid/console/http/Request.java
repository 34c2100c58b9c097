package io.safegrid.console.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** What a route handler sees of a request: method, path, query, path parameters and body. */
public record Request(HttpMethod method, String path, Map<String, List<String>> query,
                      Map<String, String> pathParams, Map<String, String> headers, byte[] body, String peer) {

    static Request of(FullHttpRequest req, Map<String, String> pathParams, String peer) {
        QueryStringDecoder qs = new QueryStringDecoder(req.uri(), StandardCharsets.UTF_8);
        byte[] body = new byte[req.content().readableBytes()];
        req.content().getBytes(req.content().readerIndex(), body);
        Map<String, String> headers = new java.util.HashMap<>();
        req.headers().forEach(e -> headers.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));
        return new Request(req.method(), qs.path(), qs.parameters(), pathParams, headers, body, peer);
    }

    public String param(String name) {
        String p = pathParams.get(name);
        if (p != null) {
            return p;
        }
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public String header(String name) { return headers.get(name.toLowerCase(java.util.Locale.ROOT)); }

    public String bodyText() { return new String(body, StandardCharsets.UTF_8); }

    /** A cookie's value, or null. */
    public String cookie(String name) {
        return cookie(header("cookie"), name);
    }

    /** A cookie's value in a raw Cookie header (null when absent), for handlers outside the router. */
    public static String cookie(String cookieHeader, String name) {
        if (cookieHeader == null) {
            return null;
        }
        for (io.netty.handler.codec.http.cookie.Cookie c : io.netty.handler.codec.http.cookie.ServerCookieDecoder.LAX.decode(cookieHeader)) {
            if (c.name().equals(name)) {
                return c.value();
            }
        }
        return null;
    }

    /** The client's address without the port, for throttling and logs. */
    public String clientAddress() {
        String p = peer == null ? "" : peer;
        if (p.startsWith("/")) {
            p = p.substring(1);
        }
        int colon = p.lastIndexOf(':');
        return colon > 0 ? p.substring(0, colon) : p;
    }
}
