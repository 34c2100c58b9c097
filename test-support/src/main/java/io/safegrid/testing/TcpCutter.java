package io.safegrid.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 that a test can cut (every connection reset, new ones refused) and
 * restore; it keeps what the client side sent (up to 1 MB), as someone on the wire would see it.
 */
public final class TcpCutter implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean cut;
    private final java.io.ByteArrayOutputStream fromClients = new java.io.ByteArrayOutputStream();

    public TcpCutter(int targetPort) throws IOException {
        this.target = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "tcp-cutter");
        t.setDaemon(true);
        t.start();
    }

    public int port() { return server.getLocalPort(); }

    public void cut() {
        cut = true;
        for (Socket s : open) {
            close(s);
        }
        open.clear();
    }

    public void restore() { cut = false; }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket in = server.accept();
                if (cut) {
                    close(in);
                    continue;
                }
                Socket out = new Socket();
                out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 2000);
                open.add(in);
                open.add(out);
                pipe(in, out, true);
                pipe(out, in, false);
            } catch (IOException e) {
                // closed, or the target is down: the client sees a reset and retries
            }
        }
    }

    /** The bytes clients have sent through the relay so far. */
    public byte[] sentByClients() {
        synchronized (fromClients) {
            return fromClients.toByteArray();
        }
    }

    private void pipe(Socket from, Socket to, boolean keep) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
                for (int n; (n = i.read(buf)) >= 0; ) {
                    if (keep) {
                        synchronized (fromClients) {
                            if (fromClients.size() < (1 << 20)) {
                                fromClients.write(buf, 0, n);
                            }
                        }
                    }
                    o.write(buf, 0, n);
                    o.flush();
                }
            } catch (IOException e) {
                // cut
            } finally {
                close(from);
                close(to);
            }
        }, "tcp-cutter-pipe");
        t.setDaemon(true);
        t.start();
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cut();
    }
}
