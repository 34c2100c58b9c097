package io.safegrid.alerting.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.alerting.Stores;
import io.safegrid.alerting.notify.HttpReceiver;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An active/standby alerting pair on one real PostgreSQL, two real processes, a stand-in gateway
 * counting notifications by their idempotency key. The active node is killed with -9 while it takes
 * findings: the standby takes over within 30 s, every finding the active confirmed (and every one
 * the "devices" then resend to the standby) is an alarm, every alarm's notices and both of its
 * escalations reach every person once (the timers resumed from the store), none twice.
 */
class FailoverTest {
    static final int DEVICES = 40;
    static final List<String> PEOPLE = List.of("kzs", "cun", "zhen", "mtj", "xian");

    /** A pair node in its own JVM; its output lines are kept. */
    static final class PairNode implements AutoCloseable {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final Writer in;
        final String name;

        PairNode(String url, String hook, String name) throws Exception {
            this.name = name;
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    PairChild.class.getName(), url, hook, name).redirectErrorStream(true).start();
            in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (java.io.IOException e) {
                    // the process was killed
                }
            }, "pair-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        boolean said(String prefix) {
            return lines.stream().anyMatch(l -> l.startsWith(prefix) || l.contains(prefix));
        }

        Set<Integer> confirmed() {
            Set<Integer> out = new TreeSet<>();
            lines.stream().filter(l -> l.startsWith("OK ")).forEach(l -> out.add(Integer.parseInt(l.substring(3).trim())));
            return out;
        }

        void send(int n) throws java.io.IOException {
            in.write(n + "\n");
            in.flush();
        }

        @Override
        public void close() {
            process.destroyForcibly();
            System.out.println("--- output of " + name);
            lines.forEach(System.out::println);
        }
    }

    @Test
    @Timeout(300)
    void killingTheActiveNodeLosesNothingAndSendsNothingTwice() throws Exception {
        String url = Stores.POSTGRESQL.fresh().url();
        try (HttpReceiver gateway = new HttpReceiver();
             PairNode a = new PairNode(url, gateway.url("/hook"), "A")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> a.said("LEADING A"));
            try (PairNode b = new PairNode(url, gateway.url("/hook"), "B")) {
                await().atMost(Duration.ofSeconds(60)).until(() -> b.said("STANDBY"));
                assertThat(b.said("LEADING B")).as("the standby waits while the active holds the store").isFalse();

                for (int n = 0; n < DEVICES; n++) {
                    a.send(n);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> a.confirmed().size() >= DEVICES / 3);
                a.process.destroyForcibly(); // SIGKILL mid-stream: findings written but not confirmed, sends in flight
                long killed = System.nanoTime();
                assertThat(a.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
                Set<Integer> confirmedByA = a.confirmed();

                await().atMost(Duration.ofSeconds(30)).until(() -> b.said("LEADING B"));
                Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
                System.out.printf("takeover %d ms; %d of %d findings confirmed by the active before the kill%n",
                        takeover.toMillis(), confirmedByA.size(), DEVICES);
                assertThat(takeover).isLessThan(Duration.ofSeconds(30));

                // the devices resend what the dead node did not confirm
                for (int n = 0; n < DEVICES; n++) {
                    if (!confirmedByA.contains(n)) {
                        b.send(n);
                    }
                }
                // every alarm reaches all five: three at once, the bureau and the county on escalation
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> delivered(gateway).size() == DEVICES * PEOPLE.size());
                Thread.sleep(2 * PairChild.ACK.toMillis()); // nothing more may come: no second escalation of a rung
                Map<String, Integer> byKey = delivered(gateway);
                Map<String, Set<String>> alarmsByPerson = new HashMap<>();
                for (String key : byKey.keySet()) {
                    String[] k = key.split("/"); // alarm id / event sequence / recipient / channel
                    alarmsByPerson.computeIfAbsent(k[2], p -> new TreeSet<>()).add(k[0]);
                }
                long repeats = byKey.values().stream().mapToInt(c -> c - 1).sum();
                System.out.printf("%d notifications, %d distinct, %d repeated by key%n",
                        byKey.values().stream().mapToInt(Integer::intValue).sum(), byKey.size(), repeats);
                assertThat(byKey).hasSize(DEVICES * PEOPLE.size());
                assertThat(alarmsByPerson.keySet()).containsExactlyInAnyOrderElementsOf(PEOPLE);
                alarmsByPerson.values().forEach(alarms -> assertThat(alarms).hasSize(DEVICES));
                // a send cut by the kill may reach the gateway again under its key (one channel: one in flight)
                assertThat(repeats).isLessThanOrEqualTo(1);
                assertThat(b.said("TAKING OVER")).isTrue();
            }
        }
    }

    /** Requests the gateway took, by idempotency key. */
    private static Map<String, Integer> delivered(HttpReceiver gateway) {
        Map<String, Integer> out = new HashMap<>();
        for (HttpReceiver.Request r : gateway.requests) {
            String key = r.header("Idempotency-Key");
            if (key != null) {
                out.merge(key, 1, Integer::sum);
            }
        }
        return out;
    }
}
