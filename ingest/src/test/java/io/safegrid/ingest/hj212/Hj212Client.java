package io.safegrid.ingest.hj212;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A plain socket talking HJ 212, as a data logger would: write bytes, read reply lines. */
final class Hj212Client implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;

    Hj212Client(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    void send(String data) throws IOException { send(Hj212FrameEncoder.frame(data)); }

    /** The next reply frame, whole, or null when none comes within the timeout. */
    String reply(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            int c;
            while ((c = in.read()) >= 0) {
                b.write(c);
                byte[] sofar = b.toByteArray();
                if (sofar.length >= 2 && sofar[sofar.length - 2] == '\r' && sofar[sofar.length - 1] == '\n') {
                    return b.toString(StandardCharsets.UTF_8);
                }
            }
            return null;
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    String reply() throws IOException { return reply(5000); }

    @Override
    public void close() throws IOException { socket.close(); }
}
