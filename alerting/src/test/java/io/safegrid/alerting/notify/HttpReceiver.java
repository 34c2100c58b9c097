package io.safegrid.alerting.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP receiver on 127.0.0.1, an ephemeral port: records every request and answers as told
 * (fail the first N calls, hang the first N calls, a fixed reply). Handlers run on their own threads,
 * so a hanging call does not stop the next one.
 */
public final class HttpReceiver implements AutoCloseable {
    public record Request(String method, String path, String rawQuery, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        /** A raw (still URL-encoded) query parameter. */
        public String param(String name) {
            if (rawQuery == null) {
                return null;
            }
            for (String kv : rawQuery.split("&")) {
                int i = kv.indexOf('=');
                if (i > 0 && kv.substring(0, i).equals(name)) {
                    return kv.substring(i + 1);
                }
            }
            return null;
        }
    }

    public final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Calls answered with 2xx. */
    public final AtomicInteger accepted = new AtomicInteger();
    public volatile int failFirst;
    public volatile int failStatus = 500;
    public volatile int hangFirst;
    public volatile int okStatus = 200;
    public volatile String reply = "{\"errcode\":0,\"errmsg\":\"ok\"}";
    public final CountDownLatch hanging = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger calls = new AtomicInteger();
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    public HttpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(pool);
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(), ex.getRequestURI().getRawQuery(),
                    Map.copyOf(ex.getRequestHeaders()), body));
            int n = calls.incrementAndGet();
            try {
                if (n <= hangFirst) {
                    hanging.countDown();
                    release.await(60, TimeUnit.SECONDS);
                    return;
                }
                int status = n <= hangFirst + failFirst ? failStatus : okStatus;
                byte[] out = reply.getBytes(StandardCharsets.UTF_8);
                // counted before the answer goes out: a test that saw the sender's outcome must see the count too
                if (status / 100 == 2) {
                    accepted.incrementAndGet();
                }
                ex.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
                ex.sendResponseHeaders(status, out.length);
                ex.getResponseBody().write(out);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                ex.close();
            }
        });
        server.start();
    }

    public String url(String pathAndQuery) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        pool.shutdownNow();
    }
}
