package io.safegrid.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Many idle MQTT devices held by one ingest node, what each costs it, and a reconnect storm.
 *
 * <p>The node ({@link IngestNode}: MQTT ingest on the in-process bus, connection limits raised to the
 * fleet, everything else the default) runs in a JVM of its own with the launcher's options, and the devices
 * in {@link KeepAliveClient} processes of their own: one process here may hold at most {@code ulimit -Hn}
 * handles (20,000), too few for both ends. Each device logs in with its own credentials from one of several
 * source addresses in 127.0.0.0/8 and then only sends PINGREQ every half keep-alive.
 *
 * <p>Steps: the node's heap (after a full GC) and RSS before; all devices connect; held for {@code hold}
 * seconds (keep-alives answered); heap and RSS again, per connection; then every client process closes all
 * its connections at once and connects them again (the storm); refusals, failures and the time until all
 * were accepted again are counted.
 *
 * <p>{@code java ... io.safegrid.bench.KeepAliveFleet [devices] [client processes] [keep-alive s] [hold s]}
 */
public final class KeepAliveFleet {
    public static void main(String[] args) throws Exception {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 19_000;
        int processes = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int keepAlive = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int hold = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        List<String> opts = new ArrayList<>(NodeProcess.launcherOptions());
        try (IngestNode.Process node = new IngestNode.Process("in-process", devices, "", opts)) {
            System.out.printf(Locale.ROOT, "node (own JVM, %s): %s%n", String.join(" ", opts), "pid " + node.pid());
            Thread.sleep(2000);
            long heap0 = node.heapAfterGc();
            long rss0 = node.rssKb();
            long fd0 = node.openHandles();
            System.out.printf(Locale.ROOT, "before: heap %.1f MB after GC, RSS %.1f MB, %d handles%n", heap0 / 1e6, rss0 / 1e3, fd0);
            List<Client> clients = new ArrayList<>();
            int per = (devices + processes - 1) / processes;
            for (int i = 0; i < processes; i++) {
                int first = i * per;
                int count = Math.min(per, devices - first);
                clients.add(new Client(node.mqttPort(), first, count, devices, keepAlive, 30 + i));
            }
            long t0 = System.nanoTime();
            int[] c0 = round(clients, "CONNECT");
            System.out.printf(Locale.ROOT, "connect: %d accepted, %d refused, %d failed, in %.1f s%n", c0[0], c0[1], c0[2],
                    (System.nanoTime() - t0) / 1e9);
            double cpu0 = node.cpuSeconds();
            Thread.sleep(hold * 1000L);
            double holdCpu = node.cpuSeconds() - cpu0;
            long open = 0;
            long pings = 0;
            long pongs = 0;
            for (Client c : clients) {
                c.send("COUNT");
                String[] f = c.answer("OPEN").split(" ");
                open += Long.parseLong(f[1]);
                pings += Long.parseLong(f[3]);
                pongs += Long.parseLong(f[4]);
            }
            long heap1 = node.heapAfterGc();
            long rss1 = node.rssKb();
            long fd1 = node.openHandles();
            System.out.printf(Locale.ROOT, "held %d s: %d open, PINGREQ %d sent / %d answered, node CPU %.2f s (%.2f %% of a core)%n",
                    hold, open, pings, pongs, holdCpu, 100 * holdCpu / hold);
            System.out.printf(Locale.ROOT, "after: heap %.1f MB after GC, RSS %.1f MB, %d handles%n", heap1 / 1e6, rss1 / 1e3, fd1);
            System.out.printf(Locale.ROOT, "per connection: heap %.2f kB, RSS %.2f kB%n", (heap1 - heap0) / 1e3 / open,
                    (rss1 - rss0) / (double) open);

            long s0 = System.nanoTime();
            int[] c1 = round(clients, "STORM");
            double storm = (System.nanoTime() - s0) / 1e9;
            Thread.sleep(2000);
            long open2 = 0;
            for (Client c : clients) {
                c.send("COUNT");
                open2 += Long.parseLong(c.answer("OPEN").split(" ")[1]);
            }
            System.out.printf(Locale.ROOT, "reconnect storm: all %d closed at once and reconnected: %d accepted, %d refused,"
                    + " %d failed, all answered in %.1f s; %d open 2 s later; node RSS %.1f MB, %d handles%n", open, c1[0],
                    c1[1], c1[2], storm, open2, node.rssKb() / 1e3, node.openHandles());
            clients.forEach(c -> c.send("EXIT"));
            for (Client c : clients) {
                c.process.waitFor();
            }
        }
    }

    /** {@code command} to every client at once; accepted, refused and failed connections over all of them. */
    private static int[] round(List<Client> clients, String command) throws IOException {
        clients.forEach(c -> c.send(command));
        int[] sum = new int[3];
        for (Client c : clients) {
            String[] f = c.answer("DONE").split(" ");
            System.out.println("  client: " + String.join(" ", f));
            for (int i = 0; i < 3; i++) {
                sum[i] += Integer.parseInt(f[i + 1]);
            }
        }
        return sum;
    }

    /** One {@link KeepAliveClient} process. */
    private static final class Client {
        final Process process;
        final PrintWriter in;
        final BufferedReader out;

        Client(int port, int first, int count, int fleet, int keepAlive, int octet) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                    KeepAliveClient.class.getName(), "127.0.0.1", Integer.toString(port), Integer.toString(first),
                    Integer.toString(count), Integer.toString(fleet), Integer.toString(keepAlive), Integer.toString(octet))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        void send(String command) {
            in.println(command);
        }

        String answer(String prefix) throws IOException {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            throw new IOException("the client process ended");
        }
    }
}
