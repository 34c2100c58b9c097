package io.safegrid.node.load;

import io.safegrid.ingest.hj212.Hj212Frame;
import io.safegrid.ingest.hj212.Hj212FrameEncoder;
import io.safegrid.node.device.Hj212Loggers;
import java.nio.charset.StandardCharsets;

/**
 * The fleet as {@link Hj212Loggers} sending CN 2011 frames with Flag=5; the QN is the reading's
 * sequence number, so each 9014 reply says which reading it acknowledges.
 *
 * <p>The generator shares the CPUs with the node it measures, so each logger's frame is built once
 * as bytes with fixed-width QN and Rtd (the sequence number, zero-padded to 17 digits); a send copies
 * it, writes the two numbers and the CRC in place; writes are flushed in batches, like the MQTT transport.
 */
final class Hj212Transport implements LoadGenerator.Transport, Hj212Loggers.Listener {
    private static final int DIGITS = 17;

    private final LoadGenerator gen;
    private final Hj212Loggers loggers;
    private final byte[][] templates;
    private final int qnAt;
    private final int[] rtdAt;

    Hj212Transport(LoadGenerator.Options o, LoadGenerator gen) {
        this.gen = gen;
        int n = o.fleet().devices();
        this.loggers = new Hj212Loggers(o.host(), o.port(), n, this);
        this.templates = new byte[n][];
        this.rtdAt = new int[n];
        String zeros = "0".repeat(DIGITS);
        this.qnAt = Hj212FrameEncoder.HEAD + "QN=".length();
        for (int i = 0; i < n; i++) {
            String head = "QN=" + zeros + ";ST=22;CN=2011;PW=" + o.fleet().password() + ";MN=" + o.fleet().mn(i)
                    + ";Flag=5;CP=&&" + o.fleet().factor() + "-Rtd=";
            String data = head + zeros + "," + o.fleet().factor() + "-Flag=N&&";
            templates[i] = Hj212FrameEncoder.frame(data);
            rtdAt[i] = Hj212FrameEncoder.HEAD + head.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    @Override
    public void connect() throws Exception {
        for (int i = 0; i < templates.length; i++) {
            loggers.connect(i);
        }
    }

    @Override
    public void reply(int logger, Hj212Frame f) {
        if (f.crcOk() && f.data().contains("CN=9014")) {
            int at = f.data().indexOf("QN=");
            long seq = Long.parseLong(f.data().substring(at + 3, at + 20));
            gen.acked(gen.sentAt(seq), 1);
        } else if (f.data().contains("CN=9011")) {
            gen.failed(1);
        }
    }

    @Override
    public boolean writable(int device) { return loggers.writable(device); }

    @Override
    public void send(int device, long firstSeq, int count, long sendNanos) {
        byte[] frame = templates[device].clone();
        digits(frame, qnAt, firstSeq);
        digits(frame, rtdAt[device], firstSeq);
        Hj212FrameEncoder.seal(frame, frame.length - Hj212FrameEncoder.HEAD - Hj212FrameEncoder.TAIL);
        loggers.write(device, frame);
    }

    @Override
    public void flush() {
        loggers.flush();
    }

    /** {@code value} as {@value #DIGITS} zero-padded decimal digits at {@code at}. */
    private static void digits(byte[] frame, int at, long value) {
        long v = value;
        for (int i = at + DIGITS - 1; i >= at; i--) {
            frame[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
    }

    @Override
    public void close() {
        loggers.close();
    }
}
