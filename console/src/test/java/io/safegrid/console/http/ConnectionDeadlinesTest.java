package io.safegrid.console.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.console.ConsoleFixture;
import io.safegrid.model.Level;
import io.safegrid.model.grid.GridPath;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Slow, silent and oversized clients on real sockets, with the deadlines shortened to 1 s and 2 s. */
class ConnectionDeadlinesTest {
    ConsoleFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new ConsoleFixture(c -> c.connectionDeadlines(Duration.ofSeconds(1), Duration.ofSeconds(2)));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    Socket open() throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", f.console.port()), 5000);
        s.setSoTimeout(30_000);
        return s;
    }

    /** Seconds until the server closes the connection (reads and drops whatever it answers). */
    static double secondsUntilClosed(Socket s, long since) throws Exception {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        while (in.read(buf) >= 0) {
            // an answer (a 413, say) may come first
        }
        return (System.nanoTime() - since) / 1e9;
    }

    double closed(String reason) {
        return f.registry.find("safegrid.console.connections.closed").tag("reason", reason).counter().count();
    }

    @Test
    void aSilentConnectionAndADrippedHeaderAreClosedAfterTheRequestDeadline() throws Exception {
        long t0 = System.nanoTime();
        try (Socket silent = open(); Socket drip = open()) {
            OutputStream out = drip.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            // a byte every 100 ms for 0.4 s: well inside the 1 s deadline even when a busy machine wakes the
            // writer late (a write after the server has closed would be reset, failing the test for nothing)
            for (int i = 0; i < 4; i++) {
                Thread.sleep(100);
                out.write('X');
                out.flush();
            }
            // closed at the 1 s deadline, give or take a busy machine; the default deadline is 30 s
            assertThat(secondsUntilClosed(drip, t0)).isBetween(0.9, 10.0);
            assertThat(secondsUntilClosed(silent, t0)).isBetween(0.9, 10.0);
        }
        assertThat(closed("slow-request")).isEqualTo(2);
    }

    @Test
    void anUnfinishedBodyIsClosedAndAnOversizedOneRefused() throws Exception {
        try (Socket s = open()) {
            long t0 = System.nanoTime();
            s.getOutputStream().write(("POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n{\"user\":").getBytes(StandardCharsets.US_ASCII));
            assertThat(secondsUntilClosed(s, t0)).isBetween(0.9, 10.0);
        }
        try (Socket s = open()) {
            s.getOutputStream().write(("POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("4000\r\n" + "x".repeat(0x4000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 5; i++) {
                s.getOutputStream().write(chunk);
            }
            String answer = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(answer).isEqualTo("HTTP/1.1 413");
        }
    }

    @Test
    void anIdleKeptAliveConnectionIsClosedButTheLiveStreamStays() throws Exception {
        List<String> pushed = new CopyOnWriteArrayList<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Cookie", f.login("zheng-ming"))
                .buildAsync(URI.create("ws://127.0.0.1:" + f.console.port() + "/api/v1/live"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        pushed.add(data.toString());
                        w.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try (Socket s = open()) {
            long t0 = System.nanoTime();
            s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(secondsUntilClosed(s, t0)).isBetween(1.9, 10.0);
        }
        assertThat(closed("idle")).isGreaterThanOrEqualTo(1);
        f.desk.raise("a-late", "kc-ch4-t1", GridPath.parse("puxian/kecheng/dongyu/kecheng-coal"), Level.RED,
                ConsoleFixture.START);
        await().atMost(Duration.ofSeconds(30)).until(() -> pushed.stream().anyMatch(m -> m.contains("a-late")));
        ws.abort();
    }

    @Test
    void anUnparsableContentLengthGetsA400() throws Exception {
        try (Socket s = open()) {
            s.getOutputStream().write(("POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 12abc\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 400");
        }
    }

    @Test
    void theMjpegLiveViewOutlivesTheDeadlines() throws Exception {
        try (Socket s = open()) {
            s.getOutputStream().write(("GET /api/v1/cameras/cam-kc-pithead/live.mjpeg HTTP/1.1\r\nHost: x\r\nCookie: "
                    + f.login("zheng-ming") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
            Thread.sleep(3500);
            in.skip(in.available());
            // the "waiting for video" picture is sent again every 2 s: still streaming after both deadlines
            long t0 = System.nanoTime();
            assertThat(in.read()).isNotNegative();
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(10.0);
        }
    }
}
