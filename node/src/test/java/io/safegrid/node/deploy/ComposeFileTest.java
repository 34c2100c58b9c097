package io.safegrid.node.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.safegrid.config.ConfigException;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeploymentLoader;
import io.safegrid.config.NodeSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * docker-compose.yml cannot be started on the build machine (no Docker), so this checks what a
 * failed {@code docker compose up} would otherwise show first: every file a service mounts or
 * builds from exists, no two services publish the same host port, every SafeGrid node's config
 * passes the real loader and {@code safegrid check-config} with the environment Compose gives it,
 * and InfluxDB, the nodes and Grafana agree on org, bucket, token and data source.
 */
class ComposeFileTest {
    private static final String IMAGE = "safegrid:local";

    static Path repo;
    static Map<String, String> dotEnv;
    static ComposeFile compose;

    @TempDir
    Path tmp;

    @BeforeAll
    static void read() throws IOException {
        repo = Path.of("").toAbsolutePath();
        while (!Files.exists(repo.resolve("docker-compose.yml"))) {
            repo = repo.getParent();
            assertThat(repo).as("repository root with docker-compose.yml above " + Path.of("").toAbsolutePath()).isNotNull();
        }
        // the documented way to start: cp deploy/env.example .env
        dotEnv = ComposeFile.dotEnv(repo.resolve("deploy/env.example"));
        compose = ComposeFile.read(repo.resolve("docker-compose.yml"), dotEnv);
    }

    @Test
    void theStackHasInfluxKafkaACountyNodeTwoWorkersAndGrafana() {
        Map<String, Map<String, Object>> services = compose.services();
        assertThat(services).containsKeys("influxdb", "kafka", "county", "grafana");
        assertThat(image(services.get("influxdb"))).startsWith("influxdb:2.");
        assertThat(image(services.get("kafka"))).startsWith("apache/kafka:");
        assertThat(rolesOf(services.get("county"))).containsExactlyInAnyOrder("alerting", "console");
        List<String> workers = services.keySet().stream()
                .filter(s -> safegrid(services.get(s)) && rolesOf(services.get(s)).equals(Set.of("ingest", "analytics")))
                .toList();
        assertThat(workers).hasSize(2);
        // alerting is an active/standby pair: county and county-standby
        assertThat(services.keySet().stream().filter(s -> safegrid(services.get(s)) && rolesOf(services.get(s)).contains("alerting")))
                .containsExactlyInAnyOrder("county", "county-standby");
    }

    @Test
    void theCountyPairSharesOneAlarmStoreInTheStacksPostgresAndEachMayStandBy() throws IOException {
        Map<String, String> pg = ComposeFile.environment(compose.services().get("postgres"));
        for (String name : List.of("county", "county-standby")) {
            Map<String, Object> node = compose.services().get(name);
            assertThat(String.valueOf(node.get("depends_on"))).as(name).contains("postgres");
            assertThat(String.valueOf(node.get("restart"))).as(name + " comes back as the standby").isEqualTo("unless-stopped");
            Deployment d = load(name, node);
            assertThat(d.alarms().url()).as(name).isEqualTo("jdbc:postgresql://postgres:5432/" + pg.get("POSTGRES_DB"));
            assertThat(d.alarms().user()).isEqualTo(pg.get("POSTGRES_USER"));
            assertThat(d.alarms().password()).isEqualTo(pg.get("POSTGRES_PASSWORD")).isNotBlank();
            assertThat(d.alarms().standby()).as(name).isTrue();
        }
        assertThat(volumeTarget(compose.services().get("county"), "county-data"))
                .isEqualTo(volumeTarget(compose.services().get("county-standby"), "county-standby-data"));
    }

    @Test
    void everyMountedFileAndBuildContextExistsAndNamedVolumesAreDeclared() {
        Set<String> declared = ComposeFile.map(compose.root, "volumes").keySet();
        compose.services().forEach((name, service) -> {
            for (String v : ComposeFile.strings(service, "volumes")) {
                String source = v.split(":")[0];
                if (source.startsWith(".") || source.startsWith("/")) {
                    assertThat(repo.resolve(source).normalize()).as(name + " mounts " + source).exists();
                } else {
                    assertThat(declared).as(name + " uses named volume " + source).contains(source);
                }
            }
            Object build = service.get("build");
            if (build != null) {
                Map<String, Object> b = ComposeFile.asMap(build);
                Path context = repo.resolve(String.valueOf(b.get("context"))).normalize();
                assertThat(context.resolve(String.valueOf(b.getOrDefault("dockerfile", "Dockerfile"))))
                        .as(name + " builds from").exists();
            }
        });
    }

    @Test
    void noTwoServicesPublishTheSameHostPort() {
        Map<String, String> taken = new HashMap<>();
        compose.services().forEach((name, service) -> {
            for (String p : ComposeFile.strings(service, "ports")) {
                String key = hostPort(p);
                String other = taken.putIfAbsent(key, name);
                assertThat(other).as("host port " + key + " of " + name).isNull();
            }
        });
        assertThat(taken).isNotEmpty();
    }

    @Test
    void everyPublishedSafeGridPortIsOneTheNodeListensOn() throws Exception {
        for (Map.Entry<String, Map<String, Object>> e : compose.services().entrySet()) {
            if (!safegrid(e.getValue())) {
                continue;
            }
            NodeSettings node = load(e.getKey(), e.getValue()).node();
            Set<String> roles = rolesOf(e.getValue());
            Set<Integer> listening = new LinkedHashSet<>(List.of(node.httpPort()));
            if (roles.contains("ingest")) {
                listening.addAll(List.of(node.mqttPort(), node.hj212Port(), node.ingestHttpPort(), node.videoPushPort()));
            }
            for (String p : ComposeFile.strings(e.getValue(), "ports")) {
                assertThat(listening).as(e.getKey() + " publishes " + p).contains(containerPort(p));
            }
            assertThat(node.bindAddress()).as("a container must listen beyond its own loopback").isEqualTo("0.0.0.0");
            // the health check knocks on the node's HTTP port
            String health = String.join(" ", ComposeFile.strings(ComposeFile.map(e.getValue(), "healthcheck"), "test"));
            assertThat(health).contains("/" + node.httpPort() + " ").contains("/health");
        }
    }

    @Test
    void everySafeGridNodeConfigPassesTheLoaderWithTheEnvironmentComposeGivesIt() throws Exception {
        Map<String, Object> influx = compose.services().get("influxdb");
        Map<String, String> init = ComposeFile.environment(influx);
        for (Map.Entry<String, Map<String, Object>> e : compose.services().entrySet()) {
            if (!safegrid(e.getValue())) {
                continue;
            }
            Deployment d = load(e.getKey(), e.getValue());
            Map<String, String> env = ComposeFile.environment(e.getValue());
            assertThat(d.node().nodeId()).isEqualTo(env.get("SAFEGRID_NODE_ID"));
            assertThat(d.node().dataDir()).as("data dir is the service's volume").hasToString(volumeTarget(e.getValue(), e.getKey() + "-data"));
            // the record goes to the stack's InfluxDB with what InfluxDB was set up with
            assertThat(d.record().target()).isEqualTo("influxdb");
            URI url = URI.create(d.record().url());
            assertThat(compose.services()).containsKey(url.getHost());
            assertThat(ComposeFile.strings(compose.services().get(url.getHost()), "ports"))
                    .anySatisfy(p -> assertThat(containerPort(p)).isEqualTo(url.getPort()));
            assertThat(d.record().org()).isEqualTo(init.get("DOCKER_INFLUXDB_INIT_ORG")).isNotBlank();
            assertThat(d.record().bucket()).isEqualTo(init.get("DOCKER_INFLUXDB_INIT_BUCKET")).isNotBlank();
            assertThat(d.record().token()).isEqualTo(init.get("DOCKER_INFLUXDB_INIT_ADMIN_TOKEN")).isNotBlank();
            assertThat(d.users()).anySatisfy(u -> assertThat(u.name()).isEqualTo("admin"));
        }
    }

    /** The real command, once per config file (the loader test above covers each service's environment). */
    @Test
    void everySafeGridNodeConfigPassesSafegridCheckConfig() throws Exception {
        Set<Path> checked = new java.util.HashSet<>();
        for (Map.Entry<String, Map<String, Object>> e : compose.services().entrySet()) {
            if (!safegrid(e.getValue()) || !checked.add(configOf(e.getKey(), e.getValue()))) {
                continue;
            }
            Path file = configOf(e.getKey(), e.getValue());
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "io.safegrid.node.cli.SafeGridCli", "check-config", file.toString()).redirectErrorStream(true);
            pb.environment().putAll(ComposeFile.environment(e.getValue()));
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(e.getKey() + ": " + out).isZero();
            assertThat(out).contains("valid");
        }
        assertThat(checked).isNotEmpty();
    }

    @Test
    void nodesUseTheKafkaBusOfTheStack() throws Exception {
        Map<String, String> kafka = ComposeFile.environment(compose.services().get("kafka"));
        assertThat(kafka.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
        assertThat(kafka.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).isEqualTo(kafka.get("KAFKA_NODE_ID") + "@kafka:9093");
        for (Map.Entry<String, Map<String, Object>> e : compose.services().entrySet()) {
            if (!safegrid(e.getValue())) {
                continue;
            }
            Map<String, Object> bus = busSection(configOf(e.getKey(), e.getValue()));
            assertThat(bus.get("kind")).isEqualTo("kafka");
            // ${NAME} in a SafeGrid config reads like Compose's own interpolation
            String servers = ComposeFile.interpolate(String.valueOf(bus.get("bootstrap-servers")),
                    ComposeFile.environment(e.getValue()));
            assertThat(kafka.get("KAFKA_ADVERTISED_LISTENERS")).contains("//" + servers);
            // and the node itself, through the real loader, reads the same bus
            Deployment d = load(e.getKey(), e.getValue());
            assertThat(d.bus().isKafka()).as(e.getKey() + " runs on Kafka").isTrue();
            assertThat(d.bus().bootstrapServers()).isEqualTo(servers);
            assertThat(ComposeFile.map(ComposeFile.asMap(e.getValue()), "depends_on")).containsKey("kafka");
        }
    }

    @Test
    void influxDbInitScriptMapsTheBucketForInfluxQl() throws Exception {
        Map<String, Object> influx = compose.services().get("influxdb");
        Map<String, String> init = ComposeFile.environment(influx);
        assertThat(init).containsEntry("DOCKER_INFLUXDB_INIT_MODE", "setup")
                .containsKeys("DOCKER_INFLUXDB_INIT_RETENTION", "DOCKER_INFLUXDB_INIT_PASSWORD");
        String mount = ComposeFile.strings(influx, "volumes").stream()
                .filter(v -> v.contains(":/docker-entrypoint-initdb.d/")).findFirst()
                .orElseThrow(() -> new AssertionError("no init script mounted in /docker-entrypoint-initdb.d"));
        Path script = repo.resolve(mount.split(":")[0]).normalize();
        assertThat(mount.split(":")[1]).endsWith(".sh");
        assertThat(Files.isExecutable(script)).as(script + " executable").isTrue();
        String text = Files.readString(script);
        assertThat(text).contains("influx v1 dbrp create").contains("${DOCKER_INFLUXDB_INIT_BUCKET_ID}")
                .contains("--db \"${DOCKER_INFLUXDB_INIT_BUCKET}\"").contains("--default");
        Process p = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("bash -n: " + out).isZero();
    }

    @Test
    void grafanaDashboardParsesAndUsesTheProvisionedDataSource() throws Exception {
        Map<String, Object> grafana = compose.services().get("grafana");
        Map<String, String> mounts = new HashMap<>();
        for (String v : ComposeFile.strings(grafana, "volumes")) {
            String[] parts = v.split(":");
            mounts.put(parts[1], parts[0]);
        }
        Path datasources = mounted(mounts, "/etc/grafana/provisioning/datasources/");
        Map<String, Object> dsFile = yaml(datasources);
        List<?> sources = (List<?>) dsFile.get("datasources");
        assertThat(sources).hasSize(1);
        Map<String, Object> ds = ComposeFile.asMap(sources.get(0));
        String uid = String.valueOf(ds.get("uid"));
        assertThat(ds.get("type")).isEqualTo("influxdb");
        // Grafana expands $VAR in provisioning from its own environment
        Map<String, String> env = ComposeFile.environment(grafana);
        Map<String, String> init = ComposeFile.environment(compose.services().get("influxdb"));
        assertThat(grafanaExpand(String.valueOf(ComposeFile.map(ds, "jsonData").get("dbName")), env))
                .isEqualTo(init.get("DOCKER_INFLUXDB_INIT_BUCKET"));
        assertThat(grafanaExpand(String.valueOf(ComposeFile.map(ds, "secureJsonData").get("httpHeaderValue1")), env))
                .isEqualTo("Token " + init.get("DOCKER_INFLUXDB_INIT_ADMIN_TOKEN"));
        assertThat(URI.create(String.valueOf(ds.get("url"))).getHost()).isEqualTo("influxdb");

        Map<String, Object> provider = ComposeFile.asMap(((List<?>) yaml(mounted(mounts, "/etc/grafana/provisioning/dashboards/"))
                .get("providers")).get(0));
        String inContainer = String.valueOf(ComposeFile.map(provider, "options").get("path"));
        assertThat(mounts).as("dashboards provider path is mounted").containsKey(inContainer);
        Path dashboards = repo.resolve(mounts.get(inContainer)).normalize();
        List<Path> files;
        try (var s = Files.list(dashboards)) {
            files = s.filter(f -> f.toString().endsWith(".json")).toList();
        }
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            JsonNode dash = new ObjectMapper().readTree(f.toFile());
            assertThat(dash.path("panels").size()).isGreaterThanOrEqualTo(3);
            List<String> uids = new ArrayList<>();
            dash.findParents("datasource").forEach(n -> uids.add(n.path("datasource").path("uid").asText("(none)")));
            assertThat(uids).isNotEmpty().allMatch(uid::equals);
            String queries = dash.findValuesAsText("query").toString();
            assertThat(queries).contains("FROM \"reading\"").contains("GROUP BY time($__interval), \"level\"")
                    .contains("GROUP BY \"township\"");
        }
    }

    @Test
    void theImageIsBuiltFromWhatTheNodesPomPackages() throws Exception {
        String pom = Files.readString(repo.resolve("node/pom.xml"));
        assertThat(pom).contains("<finalName>safegrid</finalName>").contains("<classpathPrefix>lib/</classpathPrefix>")
                .contains("<outputDirectory>${project.build.directory}/lib</outputDirectory>");
        String dockerfile = Files.readString(repo.resolve("Dockerfile"));
        assertThat(dockerfile).contains("FROM eclipse-temurin:17-jre")
                .contains("COPY node/target/lib/ /opt/safegrid/lib/")
                .contains("COPY node/target/safegrid.jar /opt/safegrid/safegrid.jar")
                .contains("-jar /opt/safegrid/safegrid.jar");
        List<String> ignore = Files.readAllLines(repo.resolve(".dockerignore"));
        assertThat(ignore).contains("!node/target/safegrid.jar", "!node/target/lib/");
        assertThat(compose.services().values().stream().filter(ComposeFileTest::safegrid))
                .allSatisfy(s -> assertThat(s).containsKey("build"));
    }

    // --- helpers ---------------------------------------------------------------------------

    private static boolean safegrid(Map<String, Object> service) {
        return IMAGE.equals(service.get("image"));
    }

    private static String image(Map<String, Object> service) {
        return String.valueOf(service.get("image"));
    }

    private static Set<String> rolesOf(Map<String, Object> service) {
        List<String> cmd = ComposeFile.strings(service, "command");
        int i = cmd.indexOf("--roles");
        return i < 0 ? NodeSettings.ALL_ROLES : Set.of(cmd.get(i + 1).split(","));
    }

    /** The config file in the repository that the service's {@code --config} path is mounted from. */
    private static Path configOf(String name, Map<String, Object> service) {
        List<String> cmd = ComposeFile.strings(service, "command");
        assertThat(cmd).as(name + " command").startsWith("run").contains("--config");
        String inContainer = cmd.get(cmd.indexOf("--config") + 1);
        for (String v : ComposeFile.strings(service, "volumes")) {
            String[] parts = v.split(":");
            if (parts[1].equals(inContainer)) {
                return repo.resolve(parts[0]).normalize();
            }
        }
        return fail(name + ": nothing mounted at " + inContainer);
    }

    private static String volumeTarget(Map<String, Object> service, String volume) {
        return ComposeFile.strings(service, "volumes").stream().filter(v -> v.startsWith(volume + ":"))
                .map(v -> v.split(":")[1]).findFirst().orElseThrow(() -> new AssertionError("no volume " + volume));
    }

    @Test
    void theCountyNodeKeepsHazardsInTheStacksPostgres() throws IOException {
        Map<String, Object> county = compose.services().get("county");
        Map<String, String> pg = ComposeFile.environment(compose.services().get("postgres"));
        assertThat(image(compose.services().get("postgres"))).startsWith("postgres:");
        assertThat(String.valueOf(county.get("depends_on"))).contains("postgres");
        Deployment d = load("county", county);
        assertThat(d.hazards().url()).isEqualTo("jdbc:postgresql://postgres:5432/" + pg.get("POSTGRES_DB"));
        assertThat(d.hazards().user()).isEqualTo(pg.get("POSTGRES_USER"));
        assertThat(d.hazards().password()).isEqualTo(pg.get("POSTGRES_PASSWORD")).isNotBlank();
    }

    private Deployment load(String name, Map<String, Object> service) throws IOException {
        Path file = configOf(name, service);
        try {
            return new DeploymentLoader(ComposeFile.environment(service)::get).read(file);
        } catch (ConfigException e) {
            return fail(name + ": " + e.errors());
        }
    }

    private static Map<String, Object> busSection(Path config) throws IOException {
        Map<String, Object> doc = yaml(config);
        assertThat(doc).as(config + " has a bus: section").containsKey("bus");
        return ComposeFile.map(doc, "bus");
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        return ComposeFile.asMap(new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file)));
    }

    private static Path mounted(Map<String, String> mounts, String dirInContainer) {
        return mounts.entrySet().stream().filter(m -> m.getKey().startsWith(dirInContainer))
                .map(m -> repo.resolve(m.getValue()).normalize()).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted under " + dirInContainer));
    }

    private static String grafanaExpand(String text, Map<String, String> env) {
        return ComposeFile.interpolate(text, env);
    }

    /** "8080:8080", "127.0.0.1:8080:8080", "9212:9212/tcp": the host side with its protocol. */
    private static String hostPort(String spec) {
        String[] proto = spec.split("/");
        String[] parts = proto[0].split(":");
        assertThat(parts.length).as("port " + spec + " publishes an explicit host port").isGreaterThanOrEqualTo(2);
        String ip = parts.length == 3 ? parts[0] : "0.0.0.0";
        return ip + ":" + parts[parts.length - 2] + "/" + (proto.length > 1 ? proto[1] : "tcp");
    }

    private static int containerPort(String spec) {
        String[] parts = spec.split("/")[0].split(":");
        return Integer.parseInt(parts[parts.length - 1]);
    }
}
