package io.safegrid.node.load;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code safegrid load mqtt|hj212|http --target host --port P --devices N --rate R --duration D [--batch B]}:
 * drives a running node with the {@link LoadFleet} devices (which its config must contain) and
 * prints the achieved rate and latency percentiles to the acknowledgement.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Send simulated sensor readings to a node and report rate and latency.")
public final class LoadCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "mqtt, hj212 or http")
    String protocol;

    @Option(names = "--target", defaultValue = "127.0.0.1", description = "host of the node")
    String target;

    @Option(names = "--port", required = true, description = "its MQTT, HJ 212 or ingest HTTP port")
    int port;

    @Option(names = "--devices", defaultValue = "10", description = "simulated devices (one connection each)")
    int devices;

    @Option(names = "--rate", defaultValue = "1000", description = "total readings per second")
    double rate;

    @Option(names = "--duration", defaultValue = "10s", description = "how long to send, e.g. 30s, 2m")
    String duration;

    @Option(names = "--batch", defaultValue = "1", description = "readings per message (MQTT, HTTP)")
    int batch;

    @Option(names = "--qos", defaultValue = "1", description = "MQTT QoS, 0 or 1")
    int qos;

    @Option(names = "--device-prefix", defaultValue = "load-", description = "device ids are prefix + 0001 …")
    String prefix;

    @Option(names = "--enterprise", defaultValue = "load-ent", description = "enterprise id in the MQTT topic")
    String enterprise;

    @Option(names = "--secret", defaultValue = "load-secret", description = "the devices' secret")
    String secret;

    @Option(names = "--mn-prefix", defaultValue = "LOAD", description = "HJ 212 MNs are prefix + zero-padded number")
    String mnPrefix;

    @Option(names = "--password", defaultValue = "123456", description = "HJ 212 PW")
    String password;

    @Option(names = "--factor", defaultValue = "a21005", description = "HJ 212 factor code")
    String factor;

    @Override
    public Integer call() throws Exception {
        LoadGenerator.Kind kind = LoadGenerator.Kind.valueOf(protocol.toUpperCase(java.util.Locale.ROOT));
        LoadFleet fleet = new LoadFleet(devices, prefix, enterprise, secret, mnPrefix, password, factor);
        LoadResult r = LoadGenerator.acked(new LoadGenerator.Options(kind, target, port, fleet, rate,
                parseDuration(duration), batch, qos)).run();
        System.out.println(r.summary());
        return r.errors() == 0 && r.completed() == r.sent() ? 0 : 1;
    }

    static Duration parseDuration(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        return t.startsWith("pt") ? Duration.parse(t) : Duration.ofSeconds(Long.parseLong(t));
    }
}
