package io.safegrid.console.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.safegrid.console.ConsoleFixture;
import io.safegrid.model.Level;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The live stream over a real WebSocket client, with alarm events published by the FakeDesk on the bus. */
class LivePushTest {
    ConsoleFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new ConsoleFixture();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    static final class Collector implements WebSocket.Listener {
        final List<String> messages = new CopyOnWriteArrayList<>();
        final StringBuilder partial = new StringBuilder();
        volatile Integer closedWith;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            closedWith = status;
            return null;
        }
    }

    WebSocket connect(String cookie, Collector c) throws Exception {
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder();
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return b.buildAsync(URI.create("ws://127.0.0.1:" + f.console.port() + "/api/v1/live"), c).get(10, TimeUnit.SECONDS);
    }

    @Test
    void eachUserIsPushedOnlyTheirScopesAlarmsAndFindingsWithinASecond() throws Exception {
        Collector township = new Collector();
        Collector county = new Collector();
        connect(f.login("zheng-ming"), township);
        connect(f.login("wang-fang"), county);
        await().atMost(Duration.ofSeconds(30)).until(() -> f.registry.get("safegrid.console.live.connections").gauge().value() == 2.0);

        // pushed within a second of the raise: the console's part of the product target "new alarm in an open
        // browser within 1 s", so the bound stays; polled finely so that it times the push, not the polling
        long t0 = System.nanoTime();
        f.desk.raise("a-pucheng", "hd-t101-level", GridPath.parse("puxian/pucheng/xiangyang/hongda-chem"), Level.RED,
                ConsoleFixture.START);
        f.desk.raise("a-kecheng", "kc-ch4-t1", GridPath.parse("puxian/kecheng/dongyu/kecheng-coal"), Level.ORANGE,
                ConsoleFixture.START);
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .until(() -> county.messages.size() >= 2 && !township.messages.isEmpty());
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        assertThat(county.messages).anySatisfy(m -> assertThat(m).contains("\"type\":\"alarm\"", "a-pucheng", "\"RAISED\""));
        assertThat(township.messages).singleElement().satisfies(m -> assertThat(m).contains("a-kecheng"));

        f.bus.publish(Topic.FINDINGS, "hd-cam", new Finding("f-1", FindingKind.INTRUSION, Level.YELLOW, Condition.ACTIVE,
                "hd-cam", GridPath.parse("puxian/pucheng/xiangyang/hongda-chem"), "intrusion", "tank-farm", Double.NaN,
                Double.NaN, ConsoleFixture.START, "储罐区入侵", new byte[] {1, 2}, Map.of()));
        long t1 = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .until(() -> county.messages.stream().anyMatch(m -> m.contains("\"type\":\"finding\"")));
        assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThan(Duration.ofSeconds(1));
        assertThat(county.messages).anySatisfy(m -> assertThat(m).contains("/api/v1/findings/f-1/snapshot.jpg"));
        Thread.sleep(200);
        assertThat(township.messages).noneMatch(m -> m.contains("f-1"));
    }

    @Test
    void noSessionNoStreamAndLogoutClosesIt() throws Exception {
        assertThatThrownBy(() -> connect(null, new Collector())).hasStackTraceContaining("status code 401");
        assertThatThrownBy(() -> connect("SAFEGRID_SESSION=forged", new Collector())).hasStackTraceContaining("status code 401");
        Collector c = new Collector();
        String cookie = f.login("zhang-hui");
        WebSocket.Builder evil = HttpClient.newHttpClient().newWebSocketBuilder().header("Cookie", cookie)
                .header("Origin", "http://evil.example");
        assertThatThrownBy(() -> evil.buildAsync(URI.create("ws://127.0.0.1:" + f.console.port() + "/api/v1/live"),
                new Collector()).get(10, TimeUnit.SECONDS)).hasStackTraceContaining("status code 403");
        for (String foreign : new String[] {"null", "http://127.0.0.1:1", "not a url"}) {
            // "null" is what a sandboxed frame or a file:// page sends: refused with a 403, not a dropped connection
            WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().header("Cookie", cookie)
                    .header("Origin", foreign);
            assertThatThrownBy(() -> b.buildAsync(URI.create("ws://127.0.0.1:" + f.console.port() + "/api/v1/live"),
                    new Collector()).get(10, TimeUnit.SECONDS)).as(foreign).hasStackTraceContaining("status code 403");
        }
        WebSocket.Builder same = HttpClient.newHttpClient().newWebSocketBuilder().header("Cookie", cookie)
                .header("Origin", "http://127.0.0.1:" + f.console.port());
        same.buildAsync(URI.create("ws://127.0.0.1:" + f.console.port() + "/api/v1/live"), new Collector())
                .get(10, TimeUnit.SECONDS).sendClose(1000, "bye");
        connect(cookie, c);
        await().atMost(Duration.ofSeconds(30)).until(() -> f.registry.get("safegrid.console.live.connections").gauge().value() == 1.0);
        f.postWithCookie(cookie, "/api/v1/logout", "");
        f.desk.raise("a-after", "kc-ch4-t1", GridPath.parse("puxian/kecheng/dongyu/kecheng-coal"), Level.BLUE,
                ConsoleFixture.START);
        await().atMost(Duration.ofSeconds(30)).until(() -> c.closedWith != null);
        assertThat(c.closedWith).isEqualTo(1008);
        assertThat(c.messages).isEmpty();
    }
}
