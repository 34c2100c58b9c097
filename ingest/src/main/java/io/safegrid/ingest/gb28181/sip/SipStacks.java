package io.safegrid.ingest.gb28181.sip;

import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.PeerUnavailableException;

/** Makes JAIN-SIP stacks the way SafeGrid uses them: stateful, no automatic dialogs, logs to SLF4J. */
public final class SipStacks {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private SipStacks() {
    }

    /** A new stack; each has its own name so that a server and simulated devices can share one JVM. */
    public static SipStackImpl create(String name, int maxMessageBytes) throws PeerUnavailableException {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", name + "-" + SEQ.incrementAndGet());
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "8");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        // devices behind NAT keep their TCP connection open; requests to them must go back over it
        p.setProperty("gov.nist.javax.sip.CACHE_SERVER_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", String.valueOf(maxMessageBytes));
        p.setProperty("gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS", "10000");
        p.setProperty("gov.nist.javax.sip.MAX_CLIENT_TRANSACTIONS", "10000");
        return new SipStackImpl(p);
    }

    /** A port free for both UDP and TCP on {@code address} (SIP listens on both with one number). */
    public static int freePort(String address) throws IOException {
        InetAddress a = InetAddress.getByName(address);
        for (int i = 0; i < 50; i++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, a)) {
                port = s.getLocalPort();
            }
            try (DatagramSocket d = new DatagramSocket(port, a)) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no port free for both UDP and TCP on " + address);
    }
}
