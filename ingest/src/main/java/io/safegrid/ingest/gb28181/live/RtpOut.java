package io.safegrid.ingest.gb28181.live;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;

/**
 * Sends a PS byte stream as RTP (payload type 96, one SSRC, 90 kHz timestamps from the wall clock):
 * over UDP, or over a TCP connection this side opens (each packet after a 2-byte length, RFC 4571),
 * which is what a peer asks for with {@code TCP/RTP/AVP} and {@code a=setup:passive}. Written to as an
 * {@link OutputStream}: the bytes are cut into packets of at most {@value #PAYLOAD} bytes.
 */
public final class RtpOut extends OutputStream {
    static final int PAYLOAD = 1400;

    private final InetAddress to;
    private final int port;
    private final long ssrc;
    private final DatagramSocket udp;
    private final Socket tcp;
    private final OutputStream tcpOut;
    private final byte[] buf = new byte[12 + PAYLOAD];
    private final long start = System.nanoTime();
    private int filled;
    private int seq;

    public RtpOut(InetAddress to, int port, long ssrc, boolean overTcp) throws IOException {
        this.to = to;
        this.port = port;
        this.ssrc = ssrc;
        this.udp = overTcp ? null : new DatagramSocket();
        this.tcp = overTcp ? new Socket(to, port) : null;
        if (tcp != null) {
            tcp.setTcpNoDelay(true);
        }
        this.tcpOut = tcp == null ? null : new BufferedOutputStream(tcp.getOutputStream(), 16 * 1024);
    }

    @Override
    public void write(int b) throws IOException {
        buf[12 + filled++] = (byte) b;
        if (filled == PAYLOAD) {
            packet(false);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, PAYLOAD - filled);
            System.arraycopy(b, off, buf, 12 + filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == PAYLOAD) {
                packet(false);
            }
        }
    }

    /** Sends what is pending as a packet with the marker bit set: the end of what the source had. */
    @Override
    public void flush() throws IOException {
        if (filled > 0) {
            packet(true);
        }
        if (tcpOut != null) {
            tcpOut.flush();
        }
    }

    private void packet(boolean marker) throws IOException {
        long ts = (System.nanoTime() - start) * 90 / 1_000_000;
        buf[0] = (byte) 0x80;
        buf[1] = (byte) (96 | (marker ? 0x80 : 0));
        buf[2] = (byte) (seq >> 8);
        buf[3] = (byte) seq;
        buf[4] = (byte) (ts >> 24);
        buf[5] = (byte) (ts >> 16);
        buf[6] = (byte) (ts >> 8);
        buf[7] = (byte) ts;
        buf[8] = (byte) (ssrc >> 24);
        buf[9] = (byte) (ssrc >> 16);
        buf[10] = (byte) (ssrc >> 8);
        buf[11] = (byte) ssrc;
        int len = 12 + filled;
        if (udp != null) {
            udp.send(new DatagramPacket(buf, len, to, port));
        } else {
            tcpOut.write(len >> 8);
            tcpOut.write(len);
            tcpOut.write(buf, 0, len);
        }
        seq = (seq + 1) & 0xFFFF;
        filled = 0;
    }

    @Override
    public void close() throws IOException {
        if (udp != null) {
            udp.close();
        }
        if (tcp != null) {
            tcp.close();
        }
    }
}
