package io.safegrid.console.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.console.ConsoleFixture;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One client holding connections cannot hold them all: real sockets from 127.0.0.1 and 127.0.0.2. */
class ConnectionCapsTest {
    ConsoleFixture f;
    final List<Socket> held = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        f = new ConsoleFixture(c -> c.connectionCaps(5, 8));
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : held) {
            s.close();
        }
        f.close();
    }

    Socket from(String address) throws Exception {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        s.connect(new InetSocketAddress("127.0.0.1", f.console.port()), 5000);
        s.setSoTimeout(30_000);
        held.add(s);
        return s;
    }

    /** The status line of GET /health on this connection, or "closed". */
    static String health(Socket s) throws Exception {
        try {
            s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            return head.length == 12 ? new String(head, StandardCharsets.US_ASCII) : "closed";
        } catch (java.net.SocketException e) {
            return "closed";   // reset by the server before or while we wrote
        }
    }

    @Test
    void oneAddressGetsItsShareAndAnotherIsStillServed() throws Exception {
        for (int i = 0; i < 5; i++) {
            from("127.0.0.1");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> f.registry.get("safegrid.console.connections").gauge().value() == 5);
        assertThat(health(from("127.0.0.1"))).as("the sixth from one address").isEqualTo("closed");
        assertThat(health(from("127.0.0.2"))).as("someone else").isEqualTo("HTTP/1.1 200");
        assertThat(f.registry.find("safegrid.console.connections.refused").tag("reason", "per-address").counter().count())
                .isEqualTo(1);

        held.get(0).close();
        await().atMost(Duration.ofSeconds(30)).until(() -> f.registry.get("safegrid.console.connections").gauge().value() == 5);
        assertThat(health(from("127.0.0.1"))).as("room again once one closed").isEqualTo("HTTP/1.1 200");
    }

    @Test
    void theConsoleHoldsAtMostItsTotal() throws Exception {
        for (int i = 0; i < 4; i++) {
            from("127.0.0.3");
            from("127.0.0.4");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> f.registry.get("safegrid.console.connections").gauge().value() == 8);
        assertThat(health(from("127.0.0.5"))).isEqualTo("closed");
        assertThat(f.registry.find("safegrid.console.connections.refused").tag("reason", "total").counter().count())
                .isEqualTo(1);
    }
}
