package io.safegrid.node.simulate;

import io.safegrid.config.DeviceAccess;
import io.safegrid.ingest.hj212.Hj212Frame;
import io.safegrid.ingest.hj212.Hj212FrameEncoder;
import io.safegrid.model.device.Sensor;
import io.safegrid.node.device.Hj212Loggers;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A data logger per MN through {@link Hj212Loggers}: one CN=2011 real-time frame per period carrying
 * all of its factors, with Flag=5 so the node acknowledges (9014); the replies are not waited for.
 */
final class Hj212Sender implements ReadingSender, Hj212Loggers.Listener {
    /** Data loggers stamp QN and DataTime in Beijing time, whatever the clock of the machine running us. */
    private static final ZoneId LOGGER_ZONE = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter QN = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(LOGGER_ZONE);
    private static final DateTimeFormatter DATA_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(LOGGER_ZONE);

    private final Map<String, Integer> index = new LinkedHashMap<>();
    private final Hj212Loggers loggers;
    private final Map<String, StringBuilder> pending = new LinkedHashMap<>();
    private final Map<String, String> passwords = new LinkedHashMap<>();
    private Instant time = Instant.now();

    /** @param mns the MNs of the loggers that will report */
    Hj212Sender(String host, int port, List<String> mns) {
        for (String mn : mns) {
            index.putIfAbsent(mn, index.size());
        }
        this.loggers = new Hj212Loggers(host, port, index.size(), this);
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
    public synchronized void flush() throws IOException, InterruptedException {
        IOException failure = null;
        for (Map.Entry<String, StringBuilder> e : pending.entrySet()) {
            String mn = e.getKey();
            Integer i = index.get(mn);
            if (i == null) {
                failure = new IOException("MN " + mn + " is not one of this simulator's loggers");
                continue;
            }
            String data = "QN=" + QN.format(time) + ";ST=22;CN=2011;PW=" + passwords.get(mn) + ";MN=" + mn
                    + ";Flag=5;CP=&&DataTime=" + DATA_TIME.format(time) + e.getValue() + "&&";
            try {
                if (!loggers.connected(i)) {
                    loggers.connect(i);
                }
                loggers.write(i, Hj212FrameEncoder.frame(data));
            } catch (InterruptedException ex) {
                throw ex;
            } catch (Exception ex) {
                // Netty's sync() rethrows a refused connection's ConnectException undeclared
                failure = new IOException("logger " + mn + ": " + ex, ex);
            }
        }
        pending.clear();
        loggers.flush();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void reply(int logger, Hj212Frame reply) {
        // acknowledgements; the simulator does not retry
    }

    @Override
    public synchronized void close() {
        loggers.close();
    }
}
