package io.safegrid.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mistakes are all reported in one go, each at its own line and path, and nothing else is. */
class DeploymentLoaderErrorsTest {

    /** A small valid head that the cases below extend; 16 lines. */
    private static final String HEAD = """
            name: 测试
            metrics:
              - {id: methane, unit: "%", range: [0, 40]}
              - {id: co, unit: ppm, range: [0, 1000], hj212-factor: a21005}
            device-classes:
              - {id: face, offline-after: 60s}
            grid:
              id: xian
              kind: county
              children:
                - {id: emergency, kind: department}
                - id: town
                  kind: township
                  children:
                    - {id: mine, kind: enterprise, industry: coal-mine, departments: [xian/emergency]}
                    - {id: plant, kind: enterprise, industry: chemicals}
            """;

    private static List<String> errors(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new DeploymentLoader(k -> null).read("county.yaml", yaml, null));
        assertThat(e).as("expected the file to be rejected").isNotNull();
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void theHeadAloneIsValid() {
        assertThat(new DeploymentLoader(k -> null).read("county.yaml", HEAD, null).grid().size()).isEqualTo(5);
    }

    @Test
    void threeDistinctMistakesGiveExactlyThreeErrors() {
        assertThat(errors(HEAD + """
                sensors:
                  - {id: ch4-1, site: xian/town/mine, metric: methane, class: face, protocol: mqtt, secret: secret-ch4-1}
                  - {id: co-1, site: xian/town/mine, metric: ch5, class: face, protocol: mqtt, secret: secret-co-1}
                  - {id: co-2, site: xian/town/mime, metric: co, class: face, protocol: mqtt, secret: secret-co-2}
                rules:
                  - {id: ch4, type: threshold, metric: methane, above: {yellow: 1.0, orange: 0.75, red: 1.5}}
                """)).containsExactly(
                "county.yaml:19: sensors[1].metric: unknown metric 'ch5' (known: methane, co)",
                "county.yaml:20: sensors[2].site: unknown grid node 'xian/town/mime'",
                "county.yaml:22: rules[0].above.orange: orange (0.75) must be at least yellow (1): higher levels are further from normal");
    }

    @Test
    void manyMistakesAcrossSectionsInFileOrder() {
        assertThat(errors(HEAD + """
                node: {http-port: 8080, mqtt-port: 70000, video-push-port: 8080}
                sensors:
                  - {id: ch4-1, site: mine, metric: methane, class: wall, protocol: mqtt, secret: secret-ch4-1}
                  - {id: ch4-1, site: xian/town/mine, metric: methane, class: face, protocol: carrier-pigeon, secret: s}
                  - {id: co-a, site: xian/town/plant, metric: co, class: face, protocol: hj212, hj212: {mn: M1, pw: aaa}}
                  - {id: co-b, site: xian/town/plant, metric: co, class: face, protocol: hj212, hj212: {mn: M1, pw: bbb}}
                cameras:
                  - id: cam
                    site: xian/town/mine
                    source: {mode: push, url: "rtsp://x"}
                    analysis: {fps: 0, analyzers: [intrusion, xray]}
                    zones:
                      - {name: gate, purpose: restricted, polygon: [[0.1, 0.1], [1.2, 0.1], [0.5, 0.5]]}
                      - {name: yard, purpose: crowd, polygon: [[0, 0], [1, 0]]}
                rules:
                  - {id: ch4, type: threshold, metric: methane, above: {red: 1.5}, clear: 2.0}
                  - {id: fast, type: rate-of-change, metric: methane, level: yellow}
                users:
                  - {name: li, role: township-officer, scope: xian/nowhere}
                rosters:
                  - {node: xian/town, fallback: wang, shifts: [{name: day, start: "08:00", end: "8:00", people: [li]}]}
                """)).containsExactly(
                "county.yaml:17: node.mqtt-port: must be between -1 and 65535, got 70000",
                "county.yaml:17: node.video-push-port: port 8080 is already node.http-port",
                "county.yaml:19: sensors[0].site: unknown grid node 'mine' (did you mean 'xian/town/mine'?)",
                "county.yaml:19: sensors[0].class: unknown device class 'wall' (known: face)",
                "county.yaml:20: sensors[1].id: duplicate device id 'ch4-1' (first at line 19)",
                "county.yaml:20: sensors[1].protocol: 'carrier-pigeon' is not a protocol (mqtt, hj212, http)",
                "county.yaml:20: sensors[1].secret: too short: use at least 8 characters",
                "county.yaml:22: sensors[3].hj212.pw: data logger MN M1 already has a different password (line 21); one logger has one PW",
                "county.yaml:22: sensors[3].hj212.factor: factor a21005 of MN M1 is already bound to another sensor (line 21)",
                "county.yaml:26: cameras[0].source.url: a push camera has no url: its edge box connects to the video push port",
                "county.yaml:27: cameras[0].analysis.fps: must be above 0 and at most 30, got 0",
                "county.yaml:27: cameras[0].analysis.analyzers[1]: unknown analyzer 'xray' (known: intrusion, people, fire, tamper)",
                "county.yaml:29: cameras[0].zones[0].polygon[1]: point (1.2, 0.1) is outside the picture: use 0..1 of its width and height",
                "county.yaml:30: cameras[0].zones[1].max-people: required for a crowd zone",
                "county.yaml:30: cameras[0].zones[1].polygon: a zone needs at least 3 points, got 2",
                "county.yaml:32: rules[0].clear: clear (2) is above the highest 'above' threshold (1.5): the alarm would clear at once",
                "county.yaml:33: rules[1].rate-per-minute: required",
                "county.yaml:35: users[0].scope: unknown grid node 'xian/nowhere'",
                "county.yaml:37: rosters[0].fallback: unknown user 'wang'",
                "county.yaml:37: rosters[0].shifts[0].end: a shift cannot start and end at the same time (use 00:00 to 23:59:59 for all day)");
    }

    @Test
    void aUserMayNameTheLanguageOfTheirNotifications() {
        var d = new DeploymentLoader(k -> null).read("county.yaml", HEAD + """
                users:
                  - {name: li, role: township-officer, scope: xian/town, language: en}
                  - {name: wang, role: township-officer, scope: xian/town}
                """, null);
        assertThat(d.users()).extracting(u -> u.language()).containsExactly("en", null);
        assertThat(errors(HEAD + """
                users:
                  - {name: li, role: township-officer, scope: xian/town, language: fr}
                """)).singleElement().asString().endsWith("users[0].language: unknown language 'fr' (zh or en)");
    }

    @Test
    void snapshotCamerasNeedASecretAndASaneIntervalAndTakeNoUrl() {
        var d = new DeploymentLoader(k -> null).read("county.yaml", HEAD + """
                node: {max-snapshot-bytes: 500000}
                cameras:
                  - {id: cam-1, site: xian/town/mine, secret: cam-1-secret, source: {mode: snapshot, interval: 30s}}
                  - {id: cam-2, site: xian/town/mine, secret: cam-2-secret, source: {mode: snapshot}}
                """, null);
        assertThat(d.node().maxSnapshotBytes()).isEqualTo(500_000);
        assertThat(d.camera("cam-1").orElseThrow().source().snapshotInterval()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(d.camera("cam-2").orElseThrow().source().snapshotInterval()).isEqualTo(java.time.Duration.ofSeconds(10));
        assertThat(d.access().get("cam-1").secret()).isEqualTo("cam-1-secret");

        assertThat(errors(HEAD + """
                cameras:
                  - {id: cam-1, site: xian/town/mine, source: {mode: snapshot}}
                  - {id: cam-2, site: xian/town/mine, secret: cam-2-secret, source: {mode: snapshot, interval: 0s}}
                  - {id: cam-3, site: xian/town/mine, secret: cam-3-secret, source: {mode: snapshot, url: "http://x/y.jpg"}}
                  - {id: cam-4, site: xian/town/mine, source: {mode: push, interval: 5s}}
                """)).containsExactly(
                "county.yaml:18: cameras[0].secret: required for a snapshot camera: it is the upload token",
                "county.yaml:19: cameras[1].source.interval: must be between 1s and 1h",
                "county.yaml:20: cameras[2].source.url: a snapshot camera has no url: it uploads to the ingest HTTP port",
                "county.yaml:21: cameras[3].source.interval: only applies to a snapshot camera");
    }

    @Test
    void pushCamerasNeedASecret() {
        assertThat(errors(HEAD + """
                cameras:
                  - {id: cam-1, site: xian/town/mine, source: {mode: push}}
                  - {id: cam-2, site: xian/town/mine, secret: cam-2-secret, source: {mode: push}}
                """)).containsExactly("county.yaml:18: cameras[0].secret: required for a push camera: it is the push token");
    }

    @Test
    void ingestLimitsAreReadAndChecked() {
        var d = new DeploymentLoader(k -> null).read("county.yaml", HEAD + """
                node:
                  ingest-limits: {max-unauthenticated-per-address: 8, hj212-login-timeout: 45s, max-video-pixels: 2073600}
                """, null);
        var l = d.node().ingestLimits();
        assertThat(l.maxUnauthenticatedPerAddress()).isEqualTo(8);
        assertThat(l.hj212LoginTimeout()).isEqualTo(java.time.Duration.ofSeconds(45));
        assertThat(l.maxVideoPixels()).isEqualTo(1920 * 1080);
        assertThat(l.mqttConnectTimeout()).isEqualTo(IngestLimits.defaults().mqttConnectTimeout());

        assertThat(errors(HEAD + """
                node:
                  ingest-limits: {hj212-login-timeout: 2h, write-buffer-high-bytes: 65536, max-queued-write-bytes: 65536, max-conections-per-listener: 5}
                """)).containsExactly(
                "county.yaml:18: node.ingest-limits: unknown key 'max-conections-per-listener' (did you mean 'max-connections-per-listener'?)",
                "county.yaml:18: node.ingest-limits.hj212-login-timeout: must be between 1s and 5m",
                "county.yaml:18: node.ingest-limits.max-queued-write-bytes: must be above write-buffer-high-bytes (65536)");
    }

    @Test
    void unknownKeysAreTyposWithASuggestion() {
        assertThat(errors(HEAD + """
                sensors:
                  - {id: ch4-1, site: xian/town/mine, metirc: methane, class: face, protocol: mqtt, secret: secret-ch4-1}
                chanels: []
                """)).containsExactly(
                "county.yaml:18: sensors[0]: unknown key 'metirc' (did you mean 'metric'?)",
                "county.yaml:18: sensors[0].metric: required",
                "county.yaml:19: unknown key 'chanels' (did you mean 'channels'?)");
    }

    @Test
    void aKeyMeantForAnotherRuleTypeIsReported() {
        assertThat(errors(HEAD + """
                rules:
                  - {id: ch4, type: threshold, metric: methane, above: {red: 1.5}, horizon: 10m}
                """)).containsExactly("county.yaml:18: rules[0].horizon: does not apply to a threshold rule");
    }

    @Test
    void thresholdProblemsPointAtTheValueInBlockStyle() {
        assertThat(errors(HEAD + """
                rules:
                  - id: co
                    type: threshold
                    metric: co
                    above:
                      yellow: 24
                      orange: 2400
                      red: 12
                """)).containsExactly(
                "county.yaml:23: rules[0].above.orange: 2400 is outside the range of co [0, 1000] ppm: it can never be reached",
                "county.yaml:24: rules[0].above.red: red (12) must be at least orange (2400): higher levels are further from normal");
    }

    @Test
    void duplicateKeysAndIdsAreReported() {
        assertThat(errors(HEAD + """
                channels:
                  - {id: hook, type: webhook, url: "http://a"}
                  - {id: hook, type: sms, url: "http://b"}
                users:
                  - name: li
                    role: admin
                    role: county-operator
                """)).containsExactly(
                "county.yaml:19: channels[1].id: duplicate channel id 'hook' (first at line 18)",
                "county.yaml:23: users[0]: duplicate key 'role'");
    }

    @Test
    void gridIdsMustBeLowerCaseAndUniqueAmongSiblings() {
        assertThat(errors("""
                name: x
                grid:
                  id: Xian
                  kind: county
                  children:
                    - {id: town, kind: township}
                    - {id: town, kind: township}
                    - {id: "bad id", kind: village}
                    - {id: dept, kind: department, industry: mining}
                    - {id: ent, kind: enterprise, departments: [xian/town]}
                """)).containsExactly(
                "county.yaml:3: grid.id: bad grid id 'Xian': use lower-case a-z, 0-9, '-' and '_' (at most 64)",
                "county.yaml:7: grid.children[1].id: duplicate grid id 'town' (first at line 6)",
                "county.yaml:8: grid.children[2].id: bad grid id 'bad id': use lower-case a-z, 0-9, '-' and '_' (at most 64)",
                "county.yaml:9: grid.children[3].industry: only enterprises and sites have 'industry'",
                "county.yaml:10: grid.children[4].industry: required",
                "county.yaml:10: grid.children[4].departments[0]: 'xian/town' is a township, expected a department");
    }

    @Test
    void yamlSyntaxErrorsHaveALine() {
        List<String> e = errors("""
                name: x
                grid:
                  id: xian
                  kind: county
                   children: []
                """);
        assertThat(e).hasSize(1);
        assertThat(e.get(0)).startsWith("county.yaml:5: YAML syntax: ");
        List<String> unclosed = errors("name: x\nsensors: [{id: a\n");
        assertThat(unclosed).hasSize(1);
        assertThat(unclosed.get(0)).matches("county\\.yaml:3: YAML syntax: .*");
    }

    @Test
    void wrongShapesAreReportedNotCrashedOn() {
        assertThat(errors("just a sentence")).containsExactly("county.yaml:1: expected a mapping (key: value), got 'just a sentence'");
        assertThat(errors("")).containsExactly("county.yaml: the file is empty");
        assertThat(errors("""
                name: [a, b]
                grid: {id: x, kind: county}
                metrics: {id: methane}
                sensors:
                  - just-an-id
                """)).containsExactly(
                "county.yaml:1: name: expected a single value, got a list",
                "county.yaml:3: metrics: expected a list, got a mapping",
                "county.yaml:5: sensors[0]: expected a mapping (key: value), got 'just-an-id'");
    }

    @Test
    void aMissingGridIsRequired() {
        assertThat(errors("name: x\n")).containsExactly("county.yaml: grid: required: the county and everything below it");
    }

    @Test
    void unreadableFilesBecomeConfigErrors(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> DeploymentLoader.load(dir.resolve("gone.yaml")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors().get(0).toString())
                        .startsWith("gone.yaml: no such file: "));
        Path gbk = dir.resolve("gbk.yaml");
        Files.write(gbk, "name: 蒲县\n".getBytes(java.nio.charset.Charset.forName("GBK")));
        assertThatThrownBy(() -> DeploymentLoader.load(gbk))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::toString)
                        .containsExactly("gbk.yaml: not UTF-8 text (save the file as UTF-8)"));
    }

    @Test
    void theExceptionMessageListsEveryError() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new DeploymentLoader(k -> null)
                .read("county.yaml", "name: x\nnmae: y\ngrid: {id: x, kind: county, nmae: z}\n", null));
        assertThat(e.getMessage()).isEqualTo("""
                2 problems in the deployment file:
                  county.yaml:2: unknown key 'nmae' (did you mean 'name'?)
                  county.yaml:3: grid: unknown key 'nmae' (did you mean 'name'?)""");
    }

    @Test
    void recordSectionDefaultsToTheEmbeddedStoreAndChecksInfluxSettings() {
        Deployment plain = new DeploymentLoader(k -> null).read("county.yaml", HEAD, null);
        assertThat(plain.record().target()).isEqualTo("questdb");
        Deployment influx = new DeploymentLoader(k -> "tok-1").read("county.yaml", HEAD + """
                record: {target: influxdb, url: "http://tsdb:8086", bucket: county, token: "${INFLUX_TOKEN}", retention: 30d}
                """, null);
        assertThat(influx.record().url()).isEqualTo("http://tsdb:8086");
        assertThat(influx.record().token()).isEqualTo("tok-1");
        assertThat(influx.record().retention()).hasDays(30);
        assertThat(errors(HEAD + """
                record: {target: influx, spool-max-mb: 1}
                """)).containsExactlyInAnyOrder(
                "county.yaml:17: record.target: unknown target 'influx' (expected questdb or influxdb)",
                "county.yaml:17: record.spool-max-mb: must be between 2 and 1000000, got 1");
        assertThat(errors(HEAD + "record: {target: influxdb}\n")).containsExactly(
                "county.yaml:17: record.url: required when target is influxdb");
    }

    @Test
    void theEmbeddedQuestDbPasswordIsReadFromTheEnvironmentAndMustNotBeShort() {
        assertThat(new DeploymentLoader(k -> null).read("county.yaml", HEAD, null).record().questDbPassword())
                .as("left out: generated per data directory").isNull();
        Deployment set = new DeploymentLoader(k -> k.equals("QDB_PW") ? "a-long-enough-password" : null).read("county.yaml",
                HEAD + "record: {questdb-password: \"${QDB_PW}\"}\n", null);
        assertThat(set.record().questDbPassword()).isEqualTo("a-long-enough-password");
        assertThat(set.record().toString()).doesNotContain("a-long-enough-password");
        assertThat(errors(HEAD + "record: {questdb-password: short}\n")).containsExactly(
                "county.yaml:17: record.questdb-password: at least 16 characters");
    }

    @Test
    void busSectionDefaultsToInProcessAndChecksKafkaSettings() {
        Deployment plain = new DeploymentLoader(k -> null).read("county.yaml", HEAD, null);
        assertThat(plain.bus().isKafka()).isFalse();
        Deployment kafka = new DeploymentLoader(k -> "kafka-1:9092").read("county.yaml", HEAD + """
                bus: {kind: kafka, bootstrap-servers: "${KAFKA}, kafka-2:9092", topic-prefix: puxian., partitions: 24}
                """, null);
        assertThat(kafka.bus().isKafka()).isTrue();
        assertThat(kafka.bus().bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
        assertThat(kafka.bus().topicPrefix()).isEqualTo("puxian.");
        assertThat(kafka.bus().partitions()).isEqualTo(24);
        assertThat(kafka.bus().sessionTimeout()).hasSeconds(10);
        assertThat(errors(HEAD + """
                bus:
                  kind: kafak
                  bootstrap-servers: kafka
                  topic-prefix: "safe grid/"
                  partitions: 0
                """)).containsExactly(
                "county.yaml:18: bus.kind: unknown kind 'kafak' (expected in-process or kafka)",
                "county.yaml:19: bus.bootstrap-servers: expected host:port[,host:port], got 'kafka'",
                "county.yaml:20: bus.topic-prefix: a Kafka topic name may use only letters, digits, '.', '_' and '-'",
                "county.yaml:21: bus.partitions: must be between 1 and 1000, got 0");
        assertThat(errors(HEAD + "bus: {kind: kafka}\n")).containsExactly(
                "county.yaml:17: bus.bootstrap-servers: required when kind is kafka");
    }

    @Test
    void threadPolicyAndVideoWorkWidthAreReadAndChecked() {
        var d = new DeploymentLoader(k -> null).read("county.yaml", HEAD + """
                node:
                  threads: {priorities: false, realtime: auto, opencv: -1}
                video:
                  work-width: 320
                """, null);
        assertThat(d.node().threads()).isEqualTo(new ThreadSettings(false, ThreadSettings.Realtime.AUTO, -1));
        assertThat(d.video().workWidth()).isEqualTo(320);
        var defaults = new DeploymentLoader(k -> null).read("county.yaml", HEAD, null);
        assertThat(defaults.node().threads()).isEqualTo(ThreadSettings.defaults());
        assertThat(defaults.video().workWidth()).isEqualTo(VideoConfig.DEFAULT_WORK_WIDTH);

        assertThat(errors(HEAD + """
                node:
                  threads: {realtime: sometimes, opencv: 0, priority: true}
                video: {work-width: 10}
                """)).containsExactly(
                "county.yaml:18: node.threads: unknown key 'priority' (allowed: priorities, realtime, opencv)",
                "county.yaml:18: node.threads.realtime: expected true, false or auto, got 'sometimes'",
                "county.yaml:18: node.threads.opencv: must be -1 (one per core) or 1 and more, got 0",
                "county.yaml:19: video.work-width: must be between 64 and 1920, got 10");
    }
    @Test
    void aPowerOffOverrideRuleBindsFeedSensorsOfItsMetricToMethaneSensorsThatExist() {
        assertThat(errors(HEAD + """
                sensors:
                  - {id: ch4-1, site: xian/town/mine, metric: methane, class: face, protocol: mqtt, secret: secret-ch4-1}
                  - {id: co-1, site: xian/town/mine, metric: co, class: face, protocol: mqtt, secret: secret-co-1}
                rules:
                  - {id: ov, type: power-off-override, metric: co, feeds: [{feed: ch4-1, methane: ch4-9, power-off: 0}]}
                  - {id: ov2, type: power-off-override, metric: co, above: {red: 1.5}}
                """)).containsExactlyInAnyOrder(
                "county.yaml:21: rules[0].feeds[0].feed: sensor 'ch4-1' measures methane, not the rule's metric co",
                "county.yaml:21: rules[0].feeds[0].methane: no sensor 'ch4-9'",
                "county.yaml:21: rules[0].feeds[0].power-off: must be above 0 (% vol, e.g. 1.5 at a working face)",
                "county.yaml:22: rules[1].above: does not apply to a power-off-override rule",
                "county.yaml:22: rules[1].feeds: required: which feed sensor cuts power for which methane sensor, at which"
                        + " power-off limit ({feed, methane, power-off})");
        Deployment d = new DeploymentLoader(k -> null).read("county.yaml", HEAD + """
                sensors:
                  - {id: ch4-1, site: xian/town/mine, metric: methane, class: face, protocol: mqtt, secret: secret-ch4-1}
                  - {id: co-1, site: xian/town/mine, metric: co, class: face, protocol: mqtt, secret: secret-co-1}
                rules:
                  - {id: ov, type: power-off-override, metric: co, feeds: [{feed: co-1, methane: ch4-1, power-off: 1.5}]}
                """, null);
        RuleDef ov = d.rules().get(0);
        assertThat(ov.feeds()).containsExactly(new RuleDef.FeedBinding("co-1", "ch4-1", 1.5));
        assertThat(ov.level()).isEqualTo(io.safegrid.model.Level.RED);
        assertThat(ov.minDuration()).isEqualTo(java.time.Duration.ofSeconds(2));
    }
}
