package io.safegrid.bench.failover;

import com.sun.net.httpserver.HttpServer;
import io.safegrid.testing.PostgresServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An active/standby alerting pair on one PostgreSQL (fsync on) under a steady stream of findings,
 * the active killed with -9 {@code kills} times: how long the standby takes to hold the store, and
 * over the whole run how many notifications never reached the stand-in gateway (lost) and how many
 * reached it more than once under one idempotency key (repeated). Every finding a killed node did
 * not confirm is sent again to the new active node, as a device would resend it.
 *
 * <pre>java -cp $CP io.safegrid.bench.failover.FailoverRuns 10 20     # kills, findings per second</pre>
 */
public final class FailoverRuns {
    /** Longest wait, after the last kill, for every notification to be sent. */
    private static final int DRAIN_SECONDS = 90;
    /** A pair node's process and what it printed. */
    private static final class Child {
        final Process process;
        final Set<Integer> confirmed = ConcurrentHashMap.newKeySet();
        volatile long leadingAt;
        final Writer in;

        Child(String url, String gateway, String name) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    PairNode.class.getName(), url, gateway, name).redirectErrorStream(true).start();
            in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.startsWith("OK ")) {
                            confirmed.add(Integer.parseInt(line.substring(3).trim()));
                        } else if (line.startsWith("LEADING")) {
                            leadingAt = System.nanoTime();
                        }
                    }
                } catch (java.io.IOException e) {
                    // killed
                }
            }, "child-" + name);
            t.setDaemon(true);
            t.start();
        }

        synchronized boolean send(int n) {
            try {
                in.write(n + "\n");
                in.flush();
                return true;
            } catch (java.io.IOException e) {
                return false; // it died: the device resends to the next active node
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int kills = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Map<String, Integer> byKey = new ConcurrentHashMap<>();
        HttpServer gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        gateway.createContext("/hook", ex -> {
            String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
            ex.getRequestBody().readAllBytes();
            if (key != null) {
                byKey.merge(key, 1, Integer::sum);
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        gateway.start();
        String hook = "http://127.0.0.1:" + gateway.getAddress().getPort() + "/hook";
        try (PostgresServer pg = PostgresServer.start(true)) {
            String url = pg.freshDatabase("alarms");
            Child active = new Child(url, hook, "n0");
            waitFor(() -> active.leadingAt != 0, 120);
            Child standby = new Child(url, hook, "n1");
            Thread.sleep(3000);
            List<Long> takeovers = new ArrayList<>();
            int next = 0;
            long period = TimeUnit.SECONDS.toNanos(1) / rate;
            Child current = active;
            Child waiting = standby;
            for (int k = 0; k <= kills; k++) {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
                List<Integer> sentHere = new ArrayList<>();
                while (System.nanoTime() < until) {
                    current.send(next); // one the dying node did not take is resent below, like one it did not confirm
                    sentHere.add(next);
                    next++;
                    Thread.sleep(period / 1_000_000, (int) (period % 1_000_000));
                }
                if (k == kills) {
                    break;
                }
                current.process.destroyForcibly();
                long killed = System.nanoTime();
                current.process.waitFor(10, TimeUnit.SECONDS);
                Child dead = current;
                Child taking = waiting;
                waitFor(() -> taking.leadingAt != 0, 60);
                long ms = TimeUnit.NANOSECONDS.toMillis(taking.leadingAt - killed);
                takeovers.add(ms);
                int resent = 0;
                for (int n : sentHere) {
                    if (!dead.confirmed.contains(n)) {
                        taking.send(n);
                        resent++;
                    }
                }
                System.out.printf(Locale.ROOT, "kill %d: takeover %d ms, %d findings resent%n", k + 1, ms, resent);
                current = taking;
                waiting = new Child(url, hook, "n" + (k + 2));
            }
            int devices = next;
            int expected = devices * PairNode.PEOPLE.size();
            // wait for the outbox to drain: a send that timed out on the busy machine waits out its retry backoff
            long[] outbox = outbox(url);
            long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
            while ((byKey.size() < expected || outbox[0] > 0) && System.nanoTime() < drainUntil) {
                Thread.sleep(500);
                outbox = outbox(url);
            }
            Thread.sleep(PairNode.ACK.toMillis() * 2); // a second escalation of a rung would arrive now
            outbox = outbox(url);
            int requests = byKey.values().stream().mapToInt(Integer::intValue).sum();
            long lost = expected - byKey.size();
            long repeated = requests - byKey.size();
            takeovers.sort(null);
            long max = takeovers.isEmpty() ? 0 : takeovers.get(takeovers.size() - 1);
            long median = takeovers.isEmpty() ? 0 : takeovers.get(takeovers.size() / 2);
            System.out.printf(Locale.ROOT, "%d kills, %d findings (%d/s), %d notifications expected (5 people each, 2 by escalation)%n",
                    kills, devices, rate, expected);
            System.out.printf(Locale.ROOT, "takeover: max %d ms, median %d ms; notifications: %d distinct, %d lost, %d repeated"
                    + " under their idempotency key (%d requests)%n", max, median, byKey.size(), lost, repeated, requests);
            Map<String, Integer> perPerson = new java.util.TreeMap<>();
            byKey.keySet().forEach(key -> perPerson.merge(key.split("/")[2], 1, Integer::sum));
            System.out.println("distinct notifications per person: " + perPerson + "; outbox at the end: " + outbox[0]
                    + " pending, " + outbox[1] + " failed for good");
            current.process.destroyForcibly();
            waiting.process.destroyForcibly();
        } finally {
            gateway.stop(0);
        }
    }

    /** The store's outbox: rows not yet sent (queued, retrying, sending), and rows failed for good. */
    private static long[] outbox(String url) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "safegrid", "");
             java.sql.ResultSet r = c.createStatement().executeQuery("SELECT COUNT(*) FILTER (WHERE status IN"
                     + " ('QUEUED','RETRYING','SENDING')), COUNT(*) FILTER (WHERE status = 'FAILED') FROM notification")) {
            r.next();
            return new long[] {r.getLong(1), r.getLong(2)};
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier c, int seconds) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("not within " + seconds + " s");
            }
            Thread.sleep(20);
        }
    }
}
