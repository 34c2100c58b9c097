package io.safegrid.ingest.gb28181;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.ingest.gb28181.sim.SimulatedDevice;
import io.safegrid.ingest.gb28181.sip.SipStacks;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The county answers an upper platform's Catalog query in the charset the query was written in. The
 * upper platform here is a bare UDP socket speaking SIP text, so that the bytes on the wire are what
 * is checked: it accepts the county's REGISTER without a challenge and queries in UTF-8 or GB2312.
 */
class UpperCharsetTest {
    private static final String UPPER = "34000000002000000001";

    private final InProcessBus bus = new InProcessBus();
    private Gb28181Server county;
    private SimulatedDevice nvr;
    private DatagramSocket upper;

    @AfterEach
    void stop() {
        if (nvr != null) {
            nvr.close();
        }
        if (county != null) {
            county.close();
        }
        if (upper != null) {
            upper.close();
        }
        bus.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-8", "GB2312"})
    void theCatalogAnswerIsWrittenInTheQuerysCharset(String charset) throws Exception {
        Charset cs = Charset.forName(charset);
        upper = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        upper.setSoTimeout(200);
        int sip = SipStacks.freePort("127.0.0.1");
        county = new Gb28181Server(GbCounty.config(sip, "60s", """
                  upper:
                    - id: "%s"
                      host: 127.0.0.1
                      port: %d
                      password: unused
                      keepalive-interval: 60s
                      share: ["%s"]
                """.formatted(UPPER, upper.getLocalPort(), GbCounty.CH1)), bus, new SimpleMeterRegistry(), Clock.systemUTC());
        county.start();
        nvr = new SimulatedDevice(GbCounty.NVR, GbCounty.NVR_PASSWORD, GbCounty.SERVER, "127.0.0.1", sip, "UDP",
                List.of(new SimulatedDevice.Channel(GbCounty.CH1, "危化品仓库东门")), Charset.forName("GB2312"));
        assertThat(nvr.register(Duration.ofHours(1))).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> county.devices().stream().anyMatch(d -> !d.channels().isEmpty()));

        String register = receive(m -> m.startsWith("REGISTER "));
        send(ok(register), sip);
        await().atMost(Duration.ofSeconds(30)).until(() -> !county.uppers().isEmpty()
                && county.uppers().get(0).state() == io.safegrid.ingest.gb28181.cascade.UpperLink.State.REGISTERED);

        byte[] body = ("<?xml version=\"1.0\" encoding=\"" + charset + "\"?>\r\n<Query>\r\n<CmdType>Catalog</CmdType>\r\n<SN>7</SN>\r\n"
                + "<DeviceID>" + GbCounty.SERVER + "</DeviceID>\r\n</Query>\r\n").getBytes(cs);
        String head = "MESSAGE sip:" + GbCounty.SERVER + "@127.0.0.1:" + sip + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + upper.getLocalPort() + ";branch=z9hG4bKq" + System.nanoTime() + "\r\n"
                + "From: <sip:" + UPPER + "@3400000000>;tag=up1\r\nTo: <sip:" + GbCounty.SERVER + "@3402000000>\r\n"
                + "Call-ID: q-" + System.nanoTime() + "\r\nCSeq: 1 MESSAGE\r\nMax-Forwards: 70\r\n"
                + "Content-Type: Application/MANSCDP+xml\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] head8 = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head8.length + body.length];
        System.arraycopy(head8, 0, all, 0, head8.length);
        System.arraycopy(body, 0, all, head8.length, body.length);
        upper.send(new DatagramPacket(all, all.length, InetAddress.getLoopbackAddress(), sip));

        byte[] answer = receiveBytes(m -> m.startsWith("MESSAGE ") && m.contains("<CmdType>Catalog</CmdType>"));
        String text = new String(answer, cs);
        assertThat(text).contains("encoding=\"" + charset + "\"").contains("<SN>7</SN>").contains("<SumNum>1</SumNum>")
                .contains("<Name>危化品仓库东门</Name>");
        assertThat(new String(answer, charset.equals("UTF-8") ? Charset.forName("GB2312") : StandardCharsets.UTF_8))
                .as("not readable in the other charset").doesNotContain("危化品仓库东门");
    }

    private void send(String text, int port) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        upper.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
    }

    /** 200 to a request: its Via, From, To (tagged), Call-ID and CSeq. */
    private static String ok(String request) {
        StringBuilder b = new StringBuilder("SIP/2.0 200 OK\r\n");
        for (String l : request.split("\r\n")) {
            String lower = l.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("via:") || lower.startsWith("from:") || lower.startsWith("call-id:") || lower.startsWith("cseq:")) {
                b.append(l).append("\r\n");
            } else if (lower.startsWith("to:")) {
                b.append(l).append(";tag=up2\r\n");
            }
        }
        return b.append("Expires: 3600\r\nContent-Length: 0\r\n\r\n").toString();
    }

    private String receive(java.util.function.Predicate<String> wanted) throws Exception {
        return new String(receiveBytes(wanted), StandardCharsets.ISO_8859_1);
    }

    /** The next datagram the test wants, answering every other request from the county with 200 on the way. */
    private byte[] receiveBytes(java.util.function.Predicate<String> wanted) throws Exception {
        long end = System.nanoTime() + 30_000_000_000L;
        byte[] buf = new byte[65536];
        while (System.nanoTime() < end) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                upper.receive(p);
            } catch (SocketTimeoutException idle) {
                continue;
            }
            byte[] got = java.util.Arrays.copyOf(buf, p.getLength());
            String text = new String(got, StandardCharsets.ISO_8859_1);
            if (wanted.test(text)) {
                return got;
            }
            if (!text.startsWith("SIP/2.0")) {
                byte[] b = ok(text).getBytes(StandardCharsets.ISO_8859_1);
                upper.send(new DatagramPacket(b, b.length, p.getAddress(), p.getPort()));
            }
        }
        throw new AssertionError("nothing wanted arrived within 30 s");
    }
}
