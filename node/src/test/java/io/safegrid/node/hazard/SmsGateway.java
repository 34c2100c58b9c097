package io.safegrid.node.hazard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the county's SMS gateway on 127.0.0.1 (an ephemeral port): takes the demo's SMS
 * channel calls ({@code {"phone":…,"text":…}}), records each one it accepted, and refuses (HTTP 503)
 * the calls for the phone numbers in {@link #down}.
 */
final class SmsGateway implements AutoCloseable {
    record Sms(String phone, String text) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    final List<Sms> accepted = new CopyOnWriteArrayList<>();
    final List<Sms> refused = new CopyOnWriteArrayList<>();
    final java.util.Set<String> down = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final HttpServer server;

    SmsGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
            Sms sms = new Sms(body.path("phone").asText(), body.path("text").asText());
            boolean ok = !down.contains(sms.phone());
            if (ok) {
                accepted.add(sms);
            } else {
                refused.add(sms);
            }
            byte[] out = (ok ? "{\"code\":0}" : "{\"code\":1}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(ok ? 200 : 503, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
    }

    String url() { return "http://127.0.0.1:" + server.getAddress().getPort() + "/sms/send"; }

    /** The texts the gateway took for {@code phone}, in order. */
    List<String> to(String phone) {
        return accepted.stream().filter(s -> s.phone().equals(phone)).map(Sms::text).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
