package io.safegrid.node.wiring;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.safegrid.bus.kafka.KafkaBus;
import io.safegrid.bus.kafka.KafkaBusSettings;
import io.safegrid.config.BusConfig;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.NodeSettings;
import io.safegrid.console.Console;
import io.safegrid.console.health.Health;
import io.safegrid.model.bus.Bus;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.node.threads.Scheduling;
import io.safegrid.node.threads.UrgencyCheck;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SafeGrid node: the bus, and the stages its roles ask for, wired through it. Consumers
 * start before producers, so nothing published at start-up finds nobody listening; they stop in
 * the reverse order, so what was accepted is handled before the bus closes.
 */
public final class Node implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    private final ConfigSource config;
    private final Set<String> roles;
    private final PrometheusMeterRegistry registry;
    private final Health health = new Health();
    private final Bus bus;
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final Stages stages;
    private final Scheduling scheduling;
    private Console console;

    public Node(ConfigSource config, Set<String> roles, PrometheusMeterRegistry registry) {
        this.config = config;
        this.roles = roles == null || roles.isEmpty() ? config.current().node().roles() : Set.copyOf(roles);
        for (String r : this.roles) {
            if (!NodeSettings.ALL_ROLES.contains(r)) {
                throw new IllegalArgumentException("unknown role '" + r + "' (expected " + NodeSettings.ALL_ROLES + ")");
            }
        }
        this.registry = registry;
        // thread policy is read once: threads already started keep theirs
        this.scheduling = new Scheduling(config.current().node().threads());
        this.bus = busFor(config.current(), registry, scheduling);
        BusMetrics.bind(bus, registry);
        this.stages = new Stages(config, bus, registry, health, scheduling);
    }

    /** The bus the deployment's {@code bus:} section asks for: in-process, or Kafka (connects and creates topics). */
    static Bus busFor(Deployment d, PrometheusMeterRegistry registry, Scheduling scheduling) {
        BusConfig b = d.bus();
        if (!b.isKafka()) {
            return new InProcessBus(scheduling);
        }
        KafkaBusSettings s = KafkaBusSettings.of(b.bootstrapServers(), b.topicPrefix(), b.partitions(), d.node().nodeId())
                .withSessionTimeout(b.sessionTimeout());
        LOG.info("node {}: Kafka bus on {} (topics {}*)", d.node().nodeId(), b.bootstrapServers(), b.topicPrefix());
        return new KafkaBus(s, registry, scheduling);
    }

    public Node start() throws Exception {
        Deployment d = config.current();
        LOG.info("starting node {} of '{}' with roles {}", d.node().nodeId(), d.name(), roles);
        UrgencyCheck.report(scheduling, registry);
        if (!d.bus().isKafka() && !roles.containsAll(NodeSettings.ALL_ROLES)) {
            LOG.warn("node {} runs only {} on the in-process bus: nothing reaches or leaves the other roles;"
                    + " use bus: {kind: kafka} to split roles over nodes", d.node().nodeId(), roles);
        }
        try {
            if (roles.contains("alerting")) {
                stages.startAlerting(running);
                stages.startRecord(running); // the record is written where alerting runs
            }
            if (d.cascade().enabled()) {
                stages.startCascade(running);
            }
            if (roles.contains("analytics")) {
                stages.startAnalytics(running, roles.contains("ingest"));
            }
            if (roles.contains("ingest")) {
                stages.startIngest(running);
            }
            // every node answers /health and /metrics; the console role adds the operators' views
            console = new Console(config, registry, health);
            if (roles.contains("console")) {
                stages.addConsoleViews(console);
                console.sessionStore(sessionStore(d));
            }
            console.start(roles.contains("console") ? bus : null);
            running.push(console);
            health.markStarted();
        } catch (Exception e) {
            close();
            throw e;
        }
        LOG.info("node {} ready: console http://{}:{}/", d.node().nodeId(), displayHost(d), console.port());
        return this;
    }

    /**
     * Operators stay logged in across a restart: their sessions are kept in the data directory, or in
     * the alarm store's PostgreSQL when it is one, so they stay logged in across a takeover by the
     * standby of the pair too. A store that cannot be opened (a file held by another process on the
     * same directory, a server not reached) costs only that.
     */
    private static io.safegrid.console.session.SessionStore sessionStore(Deployment d) {
        try {
            return io.safegrid.console.session.SessionTable.open(d.node().dataDir(), d.alarms());
        } catch (java.sql.SQLException e) {
            LOG.warn("console sessions kept in memory only (a restart logs every operator out): {}", e.getMessage());
            return io.safegrid.console.session.SessionStore.none();
        }
    }

    public static String displayHost(Deployment d) {
        String b = d.node().bindAddress();
        return b.equals("0.0.0.0") || b.equals("::") ? "localhost" : b;
    }

    public Bus bus() { return bus; }

    public PrometheusMeterRegistry registry() { return registry; }

    public Health health() { return health; }

    public ConfigSource config() { return config; }

    public Set<String> roles() { return roles; }

    public int httpPort() { return console.port(); }

    public Stages stages() { return stages; }

    @Override
    public void close() {
        while (!running.isEmpty()) {
            AutoCloseable c = running.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed", c.getClass().getSimpleName(), e);
            }
        }
        bus.close();
        registry.close();
    }
}
