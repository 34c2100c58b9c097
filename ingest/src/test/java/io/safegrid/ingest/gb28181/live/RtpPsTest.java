package io.safegrid.ingest.gb28181.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The RTP receiver over TCP, against RtpOut on a real loopback connection. */
class RtpPsTest {
    @Test
    void aStreamThatFillsTheQueueArrivesWholeAndEndsWhenTheSenderHangsUp() throws Exception {
        long ssrc = 987654321L;
        int packets = RtpPs.QUEUE;   // the receiver's queue is full when the sender hangs up: no room for its end mark
        try (RtpPs rx = new RtpPs(InetAddress.getLoopbackAddress(), ssrc, true)) {
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try (RtpOut out = new RtpOut(InetAddress.getLoopbackAddress(), rx.port(), ssrc, true)) {
                    byte[] chunk = new byte[RtpOut.PAYLOAD];
                    for (int i = 0; i < packets; i++) {
                        java.util.Arrays.fill(chunk, (byte) i);
                        out.write(chunk);
                    }
                    out.flush();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            sent.get(20, TimeUnit.SECONDS);   // the last packets sit in the receiver's queue, with the sender gone
            Thread.sleep(300);
            CompletableFuture<Long> read = CompletableFuture.supplyAsync(() -> {
                try (InputStream in = rx.stream()) {
                    long n = 0;
                    byte[] b = new byte[65536];
                    int r;
                    while ((r = in.read(b)) >= 0) {
                        n += r;
                    }
                    return n;
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(read.get(20, TimeUnit.SECONDS)).isEqualTo((long) packets * RtpOut.PAYLOAD);
        }
    }
}
