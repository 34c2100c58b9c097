package io.safegrid.node.simulate;

import io.safegrid.config.DeviceAccess;
import io.safegrid.ingest.hj212.Hj212FrameEncoder;
import io.safegrid.model.device.Sensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A data logger per MN: one TCP connection each, one CN=2011 real-time frame per period carrying
 * all of its factors, with Flag=5 so the node acknowledges (9014). Replies are read and discarded.
 */
final class Hj212Sender implements ReadingSender {
    /** Data loggers stamp QN and DataTime in Beijing time, whatever the clock of the machine running us. */
    private static final ZoneId LOGGER_ZONE = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter QN = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(LOGGER_ZONE);
    private static final DateTimeFormatter DATA_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(LOGGER_ZONE);

    private final String host;
    private final int port;
    private final Map<String, Socket> sockets = new LinkedHashMap<>();
    private final Map<String, StringBuilder> pending = new LinkedHashMap<>();
    private final Map<String, String> passwords = new LinkedHashMap<>();
    private Instant time = Instant.now();

    Hj212Sender(String host, int port) {
        this.host = host;
        this.port = port;
    }

    @Override
    public synchronized void send(Sensor sensor, DeviceAccess access, double value, Instant time) {
        if (access.hj212() == null) {
            throw new IllegalStateException("sensor " + sensor.id() + " speaks HJ 212 but has no hj212 binding");
        }
        String mn = access.hj212().mn();
        passwords.put(mn, access.hj212().password());
        this.time = time;
        StringBuilder cp = pending.computeIfAbsent(mn, k -> new StringBuilder());
        cp.append(';').append(String.format(Locale.ROOT, "%s-Rtd=%.3f,%s-Flag=N", access.hj212().factor(), value,
                access.hj212().factor()));
    }

    @Override
    public synchronized void flush() throws IOException {
        IOException failure = null;
        for (Map.Entry<String, StringBuilder> e : pending.entrySet()) {
            String mn = e.getKey();
            String data = "QN=" + QN.format(time) + ";ST=22;CN=2011;PW=" + passwords.get(mn) + ";MN=" + mn
                    + ";Flag=5;CP=&&DataTime=" + DATA_TIME.format(time) + e.getValue() + "&&";
            try {
                write(mn, Hj212FrameEncoder.frame(data));
            } catch (IOException ex) {
                failure = ex;
            }
        }
        pending.clear();
        if (failure != null) {
            throw failure;
        }
    }

    private void write(String mn, byte[] frame) throws IOException {
        Socket s = sockets.get(mn);
        try {
            if (s == null || s.isClosed()) {
                s = new Socket();
                s.connect(new InetSocketAddress(host, port), 3000);
                sockets.put(mn, s);
                Socket reading = s;
                Thread drain = new Thread(() -> drain(reading), "hj212-sim-" + mn);
                drain.setDaemon(true);
                drain.start();
            }
            OutputStream out = s.getOutputStream();
            out.write(frame);
            out.flush();
        } catch (IOException e) {
            if (s != null) {
                s.close();
            }
            sockets.remove(mn);
            throw e;
        }
    }

    private static void drain(Socket s) {
        byte[] buf = new byte[2048];
        try (InputStream in = s.getInputStream()) {
            while (in.read(buf) >= 0) {
                // acknowledgements; the simulator does not retry
            }
        } catch (IOException ignored) {
            // the socket was closed
        }
    }

    @Override
    public synchronized void close() {
        for (Socket s : sockets.values()) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        sockets.clear();
    }
}
