package io.safegrid.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.safegrid.testing.FreePorts;
import io.safegrid.testing.PostgresServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two whole {@code safegrid run} nodes (alerting, console and ingest) of an active/standby pair on
 * one real PostgreSQL. Devices post methane readings over HTTP to whichever node answers, each device
 * again every 0.5 s as a real one would; the active node is killed with -9 while they do. The standby
 * takes over within 30 s, and a stand-in gateway, counting each idempotency key once, gets every
 * device's alarm for each of the five people exactly once: three told at once, the coal bureau and
 * the county by the escalation timers, which the new active node resumed from the store.
 */
class PairFailoverTest {
    static final int DEVICES = 12;
    static final List<String> PEOPLE = List.of("kzs", "cun", "zhen", "mtj", "xian");
    static final String EN_ONLY = "SAFEGRID_LANG";

    @TempDir
    Path dir;

    /** The second node binds its ports minutes after they are chosen: none the kernel hands out meanwhile. */
    static int freePort() throws Exception {
        return FreePorts.outsideEphemeralRange();
    }

    static String yaml(String id, Path data, int http, int ingest, String gateway, String db) {
        StringBuilder y = new StringBuilder("""
                name: 蒲县 pair
                node:
                  id: %s
                  bind-address: 127.0.0.1
                  http-port: %d
                  mqtt-port: 0
                  hj212-port: 0
                  ingest-http-port: %d
                  video-push-port: 0
                  data-dir: %s
                metrics:
                  - {id: methane, name-zh: 甲烷, name-en: Methane, unit: "%%", range: [0, 40]}
                device-classes:
                  - {id: coal-working-face, description: T1, offline-after: 10m}
                grid:
                  id: puxian
                  kind: county
                  name: 蒲县
                  children:
                    - {id: coal-bureau, kind: department, name: 县煤炭局}
                    - id: keliqiao
                      kind: township
                      name: 克城镇
                      children:
                        - id: village-3
                          kind: village
                          name: 三村
                          children:
                            - {id: coalmine-7, kind: enterprise, name: 七号煤矿, industry: coal-mine, departments: [puxian/coal-bureau]}
                rules:
                  - {id: methane-face, type: threshold, metric: methane, classes: [coal-working-face],
                     above: {yellow: 1.0, red: 1.5}, clear: 0.5, min-duration: 0s}
                escalation:
                  notify-first:
                    blue: [enterprise]
                    yellow: [enterprise, village, township]
                    orange: [enterprise, village, township, department]
                    red: [enterprise, village, township, department, county]
                  ack-timeout: {blue: 6s, yellow: 6s, orange: 6s, red: 6s}
                channels:
                  - {id: duty-hook, type: webhook, url: "%s", timeout: 10s}
                alarms:
                  store: {url: "%s", user: safegrid, password: ""}
                  standby: true
                sensors:
                """.formatted(id, http, ingest, data, gateway, db));
        for (int n = 0; n < DEVICES; n++) {
            y.append("  - {id: ch4-").append(n).append(", name: T1-").append(n)
                    .append(", site: puxian/keliqiao/village-3/coalmine-7, metric: methane, class: coal-working-face,"
                            + " protocol: http, secret: pair-secret-ch4-").append(n).append("-x9Kq}\n");
        }
        y.append("rosters:\n");
        Map<String, String> at = Map.of("kzs", "puxian/keliqiao/village-3/coalmine-7", "cun", "puxian/keliqiao/village-3",
                "zhen", "puxian/keliqiao", "mtj", "puxian/coal-bureau", "xian", "puxian");
        for (String p : PEOPLE) {
            y.append("  - {node: ").append(at.get(p)).append(", fallback: ").append(p)
                    .append(", shifts: [{name: all-day, start: \"00:00\", end: \"23:59:59\", people: [").append(p).append("]}]}\n");
        }
        y.append("users:\n");
        for (String p : PEOPLE) {
            y.append("  - {name: ").append(p).append(", display-name: ").append(p.toUpperCase())
                    .append(", role: township-officer, scope: puxian, contacts: {duty-hook: ").append(p).append("}}\n");
        }
        return y.toString();
    }

    @Test
    @Timeout(300)
    void killingTheActiveNodeUnderLoadLosesNoNotificationAndSendsNoneTwice() throws Exception {
        String db = PostgresServer.sharedDatabase("pair");
        Map<String, AtomicInteger> byKey = new ConcurrentHashMap<>();
        HttpServer gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        gateway.createContext("/hook", ex -> {
            String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
            ex.getRequestBody().readAllBytes();
            if (key != null) {
                byKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        gateway.start();
        String hook = "http://127.0.0.1:" + gateway.getAddress().getPort() + "/hook";
        int[] ingest = {freePort(), freePort()};
        int[] http = {freePort(), freePort()};
        CliProcess[] nodes = new CliProcess[2];
        for (int i = 0; i < 2; i++) {
            String id = i == 0 ? "county-a" : "county-b";
            Path config = dir.resolve(id + ".yaml");
            Files.writeString(config, yaml(id, dir.resolve(id), http[i], ingest[i], hook, db));
            nodes[i] = CliProcess.start(dir, Map.of(EN_ONLY, "en"), "run", "-c", config.toString(),
                    "--roles", "alerting,console,ingest,analytics");
            if (i == 0) {
                nodes[0].awaitLine("SafeGrid is running", Duration.ofSeconds(150));
            }
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        AtomicBoolean devicesOn = new AtomicBoolean(true);
        Thread devices = new Thread(() -> {
            while (devicesOn.get()) {
                for (int n = 0; n < DEVICES && devicesOn.get(); n++) {
                    for (int port : ingest) { // a device that finds one address dead tries the other
                        try {
                            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + port + "/api/v1/readings"))
                                    .header("Authorization", "Bearer pair-secret-ch4-" + n + "-x9Kq")
                                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(2))
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"deviceId\":\"ch4-" + n + "\",\"value\":1.2}"))
                                    .build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() / 100 == 2) {
                                break;
                            }
                        } catch (java.io.IOException e) {
                            // that node is down or still standing by
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "devices");
        try {
            nodes[1].awaitLine("/health answers STANDBY", Duration.ofSeconds(150));
            assertThat(get(client, http[1], "/health")).contains("\"status\":\"STANDBY\"");
            devices.start();
            // killed while the first notices are going out and escalation timers run
            await().atMost(Duration.ofSeconds(60)).until(() -> byKey.size() >= DEVICES);
            int before = byKey.size();
            nodes[0].kill();
            long killed = System.nanoTime();
            // the alarm path is the standby's once it holds the store: within 30 s of the kill
            nodes[1].awaitLine("TAKING OVER", Duration.ofSeconds(30));
            Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
            nodes[1].awaitLine("SafeGrid is running", Duration.ofSeconds(90));
            Duration running = Duration.ofNanos(System.nanoTime() - killed);
            System.out.printf("store taken over %d ms after the kill, node running after %d ms; %d of %d keys delivered"
                    + " before the kill%n", takeover.toMillis(), running.toMillis(), before, DEVICES * PEOPLE.size());
            assertThat(before).as("killed before the escalations fell due").isLessThan(DEVICES * PEOPLE.size());
            assertThat(get(client, http[1], "/health")).contains("\"status\":\"UP\"");

            // every device's alarm reaches all five: three at once, the bureau and the county on escalation
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> byKey.size() >= DEVICES * PEOPLE.size());
            Thread.sleep(8_000); // one more acknowledgement timeout: nothing more may come
            Map<String, Set<String>> alarmsByPerson = new ConcurrentHashMap<>();
            for (String key : byKey.keySet()) {
                String[] k = key.split("/"); // alarm id / event sequence / recipient / channel
                alarmsByPerson.computeIfAbsent(k[2], p -> new TreeSet<>()).add(k[0]);
            }
            long repeats = byKey.values().stream().mapToInt(c -> c.get() - 1).sum();
            System.out.printf("%d keys, %d repeated at the gateway%n", byKey.size(), repeats);
            assertThat(byKey).as("one notification per alarm and person, none lost, none under a second key")
                    .hasSize(DEVICES * PEOPLE.size());
            assertThat(alarmsByPerson.keySet()).containsExactlyInAnyOrderElementsOf(PEOPLE);
            alarmsByPerson.values().forEach(alarms -> assertThat(alarms).hasSize(DEVICES));
            // a send cut by the kill may reach the gateway again under its key, which the gateway drops
            assertThat(repeats).isLessThanOrEqualTo(1);
        } finally {
            devicesOn.set(false);
            devices.interrupt();
            for (CliProcess n : nodes) {
                if (n != null) {
                    n.kill();
                }
            }
            gateway.stop(0);
        }
    }

    private static String get(HttpClient client, int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
