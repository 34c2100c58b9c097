package io.safegrid.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A free loopback port for a process that must be told its port before it binds (a child JVM a test
 * kills and starts again on the same ports, a check that a port is free). A port from
 * {@code new ServerSocket(0)}, closed again, lies in the kernel's ephemeral range, where any other
 * process's {@code bind(0)} or outgoing connection may take it before the child binds it; on a CI
 * machine running several test suites at once that happens. These ports lie below that range, where
 * the kernel hands out none, and are free when returned.
 */
public final class FreePorts {
    private static final Path RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Below this are well-known and registered services' ports (a demo's 1883, 5432, 8080, 9092 …). */
    private static final int LOWEST = 10_000;

    private FreePorts() {
    }

    /** A port on 127.0.0.1 that nothing holds now and that the kernel does not give out by itself. */
    public static int outsideEphemeralRange() throws IOException {
        int ephemeralStart = ephemeralStart();
        if (ephemeralStart - LOWEST < 1_000) {
            // no room below the range on this machine: an ephemeral one, as before
            try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }
        for (int tries = 0; tries < 500; tries++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, ephemeralStart);
            if (free(port)) {
                return port;
            }
        }
        throw new IOException("no free port between " + LOWEST + " and " + ephemeralStart);
    }

    private static int ephemeralStart() {
        try {
            return Integer.parseInt(Files.readString(RANGE).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException notLinux) {
            return 32_768;   // Linux's default; other systems' ranges start higher
        }
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
