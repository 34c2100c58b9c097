package io.safegrid.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal SMTP server for tests (RFC 5321 happy path: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
 * QUIT) on 127.0.0.1, an ephemeral port. Keeps each message's envelope and raw bytes.
 */
public final class SmtpReceiver implements AutoCloseable {
    public record Mail(String from, List<String> to, byte[] data) {
    }

    public final List<Mail> mails = new CopyOnWriteArrayList<>();
    private final ServerSocket socket;
    private final Thread acceptor;

    public SmtpReceiver() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        acceptor = new Thread(this::accept, "smtp-receiver");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                session(s);
            } catch (IOException e) {
                // closed, or a client gone mid-session
            }
        }
    }

    private void session(Socket s) throws IOException {
        // ISO-8859-1 keeps every byte as one char, so the message bytes come back unchanged
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        OutputStream out = s.getOutputStream();
        say(out, "220 test ESMTP");
        String from = null;
        List<String> to = new ArrayList<>();
        for (String line; (line = in.readLine()) != null; ) {
            String cmd = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
            switch (cmd) {
                case "EHLO" -> say(out, "250-test\r\n250-8BITMIME\r\n250 SMTPUTF8");
                case "HELO", "NOOP" -> say(out, "250 ok");
                case "MAIL" -> {
                    from = line.substring(line.indexOf(':') + 1).trim();
                    to = new ArrayList<>();
                    say(out, "250 ok");
                }
                case "RCPT" -> {
                    to.add(line.substring(line.indexOf(':') + 1).trim());
                    say(out, "250 ok");
                }
                case "DATA" -> {
                    say(out, "354 go ahead");
                    StringBuilder data = new StringBuilder();
                    for (String l; (l = in.readLine()) != null && !l.equals("."); ) {
                        data.append(l.startsWith("..") ? l.substring(1) : l).append("\r\n");
                    }
                    mails.add(new Mail(from, List.copyOf(to), data.toString().getBytes(StandardCharsets.ISO_8859_1)));
                    say(out, "250 queued");
                }
                case "RSET" -> say(out, "250 ok");
                case "QUIT" -> {
                    say(out, "221 bye");
                    return;
                }
                default -> say(out, "502 not implemented");
            }
        }
    }

    private static void say(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
