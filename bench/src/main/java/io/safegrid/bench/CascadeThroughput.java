package io.safegrid.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.cascade.Cascade;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.DeploymentLoader;
import io.safegrid.config.auth.PasswordHash;
import io.safegrid.model.Level;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Findings per second through the enterprise-to-county cascade on loopback: an enterprise node's
 * bus → its durable H2 queue → the link → the county's dedup mark in H2 → the county's bus.
 * Two phases: "live" (the link is up while findings are published) and "catch-up" (findings queued
 * while the county is down, then the county starts and the backlog drains).
 *
 * <p>Usage: {@code CascadeThroughput [findings=20000] [devices=100]}.
 */
public final class CascadeThroughput {
    private static final String TOKEN = "bench-token";
    private static final GridPath MINE = GridPath.parse("xian/town/mine");
    private static final String GRID = """
            name: bench
            node: {bind-address: 127.0.0.1}
            grid:
              id: xian
              kind: county
              children:
                - id: town
                  kind: township
                  children:
                    - {id: mine, kind: enterprise, industry: coal-mine}
            """;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int devices = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Path dir = Files.createTempDirectory("cascade-bench");
        String hash = PasswordHash.hash(TOKEN.toCharArray());
        AtomicLong arrived = new AtomicLong();

        // live: both ends up
        InProcessBus countyBus = new InProcessBus();
        countyBus.subscribe(Topic.FINDINGS, "bench", (k, f) -> arrived.incrementAndGet());
        Cascade county = new Cascade(county(0, hash), countyBus, new SimpleMeterRegistry(), dir.resolve("county"), null);
        county.start();
        int port = county.port();
        InProcessBus entBus = new InProcessBus();
        Cascade ent = new Cascade(enterprise(port), entBus, new SimpleMeterRegistry(), dir.resolve("enterprise"), null);
        ent.start();
        while (!ent.isLinkedUpstream()) {
            Thread.sleep(20);
        }
        publish(entBus, 0, 2_000, devices); // warm-up
        await(arrived, 2_000);
        arrived.set(0);
        long t0 = System.nanoTime();
        publish(entBus, 2_000, 2_000 + n, devices);
        await(arrived, n);
        double live = n / ((System.nanoTime() - t0) / 1e9);
        System.out.printf("live:     %,d findings in %.2f s = %,.0f findings/s, all %,d applied once (load average %s)%n",
                n, (System.nanoTime() - t0) / 1e9, live, arrived.get(), load());

        // catch-up: the county is down while the mine keeps reporting, then comes back on the same port
        county.close();
        countyBus.close();
        publish(entBus, 2_000 + n, 2_000 + 2 * n, devices);
        Thread.sleep(2_000); // let the forwarder finish queueing
        arrived.set(0);
        InProcessBus countyBus2 = new InProcessBus();
        countyBus2.subscribe(Topic.FINDINGS, "bench", (k, f) -> arrived.incrementAndGet());
        long t1 = System.nanoTime();
        Cascade county2 = new Cascade(county(port, hash), countyBus2, new SimpleMeterRegistry(), dir.resolve("county"),
                null);
        county2.start();
        await(arrived, n);
        double catchUp = n / ((System.nanoTime() - t1) / 1e9);
        System.out.printf("catch-up: %,d queued findings drained in %.2f s = %,.0f findings/s, %,d applied (load average %s)%n",
                n, (System.nanoTime() - t1) / 1e9, catchUp, arrived.get(), load());
        ent.close();
        entBus.close();
        county2.close();
        countyBus2.close();
    }

    private static ConfigSource county(int port, String hash) {
        return of(GRID + "cascade:\n  listen-port: " + port + "\n  peers:\n    - {id: mine, token-hash: \"" + hash
                + "\", grid: xian/town/mine}\n");
    }

    private static ConfigSource enterprise(int port) {
        return of(GRID + "cascade:\n  upstream: {address: \"127.0.0.1:" + port + "\", peer: mine, token: " + TOKEN
                + "}\n  reconnect-max: 2s\n");
    }

    private static ConfigSource of(String yaml) {
        return ConfigSource.of(new DeploymentLoader(k -> null).read("bench.yaml", yaml, null));
    }

    private static void publish(InProcessBus bus, int from, int to, int devices) throws InterruptedException {
        for (int i = from; i < to; i++) {
            String device = "ch4-" + (i % devices);
            bus.publish(Topic.FINDINGS, device, new Finding("f-" + i, FindingKind.THRESHOLD, Level.YELLOW,
                    Condition.ACTIVE, device, MINE, "methane", null, 1.1, 1.0, Instant.now(), "甲烷超限", null,
                    Map.of("metric", "methane", "unit", "%")));
        }
    }

    private static void await(AtomicLong arrived, long n) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (arrived.get() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + arrived.get() + " of " + n + " arrived in 120 s");
            }
            Thread.sleep(5);
        }
    }

    private static String load() throws java.io.IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }
}
