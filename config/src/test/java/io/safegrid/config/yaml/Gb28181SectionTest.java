package io.safegrid.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.safegrid.config.ConfigError;
import io.safegrid.config.ConfigException;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeploymentLoader;
import io.safegrid.config.Gb28181Config;
import io.safegrid.model.grid.GridPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code gb28181:} section: devices with their passwords and grid nodes, and the mistakes an operator makes. */
class Gb28181SectionTest {
    private static final String HEAD = """
            name: 测试
            grid:
              id: xian
              kind: county
              children:
                - id: town
                  kind: township
                  children:
                    - {id: mine, kind: enterprise, industry: coal-mine}
                    - {id: plant, kind: enterprise, industry: chemical}
            """;

    private static Deployment read(String yaml) {
        return new DeploymentLoader(Map.of("NVR_PASSWORD", "nvr-s3cret")::get).read("county.yaml", yaml, null);
    }

    private static List<String> errors(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> read(yaml));
        assertThat(e).as("expected the file to be rejected").isNotNull();
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void leftOutTheServerIsOff() {
        assertThat(read(HEAD).gb28181().enabled()).isFalse();
    }

    @Test
    void anNvrBindsToItsEnterpriseAndOneChannelToAnother() {
        Gb28181Config c = read(HEAD + """
                gb28181:
                  server-id: "34020000002000000001"
                  listen-port: 5060
                  keepalive-interval: 30s
                  devices:
                    - id: 34020000001180000001
                      name: 矿井NVR
                      password: ${NVR_PASSWORD}
                      grid: xian/town/mine
                      keepalive-interval: 10s
                      channels:
                        - {id: "34020000001320000002", grid: xian/town/plant}
                """).gb28181();
        assertThat(c.enabled()).isTrue();
        assertThat(c.domain()).isEqualTo("3402000000");
        assertThat(c.port()).isEqualTo(5060);
        Gb28181Config.Device nvr = c.device("34020000001180000001").orElseThrow();
        assertThat(nvr.password()).isEqualTo("nvr-s3cret");
        assertThat(nvr.grid()).isEqualTo(GridPath.parse("xian/town/mine"));
        assertThat(c.keepaliveOf(nvr)).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.keepaliveMissed()).isEqualTo(3);
        assertThat(nvr.channels()).singleElement().satisfies(ch ->
                assertThat(ch.grid()).isEqualTo(GridPath.parse("xian/town/plant")));
    }

    @Test
    void aChannelCanOnlyFeedAPushCameraThatExists() {
        List<String> errors = errors(HEAD + """
                gb28181:
                  devices:
                    - id: "34020000001180000001"
                      password: x
                      grid: xian/town/mine
                      channels:
                        - {id: "34020000001320000001", camera: cam-nowhere}
                """);
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("county.yaml:17")
                .contains("gb28181.devices[0].channels[0].camera").contains("no push camera 'cam-nowhere'"));
    }

    @Test
    void badIdsMissingPasswordsAndUnknownGridNodesAreReportedWithTheirLines() {
        List<String> errors = errors(HEAD + """
                gb28181:
                  server-id: "3402000000200000001"
                  devices:
                    - id: "34020000001180000001"
                      grid: xian/town/mine
                    - id: "34020000001180000001"
                      password: x
                      grid: xian/town/nowhere
                      keepalive-intervall: 5s
                """);
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("county.yaml:12").contains("gb28181.server-id").contains("20 digits"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("county.yaml:14").contains("gb28181.devices[0].password").contains("required"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("county.yaml:16").contains("duplicate GB/T 28181 id"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("county.yaml:18").contains("unknown grid node 'xian/town/nowhere'"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("county.yaml:19").contains("did you mean 'keepalive-interval'"));
    }

    @Test
    void upperPlatformsAreReadWithTheirDefaults() {
        Gb28181Config c = read(HEAD + """
                gb28181:
                  server-id: "34020000002000000001"
                  upper:
                    - id: "34000000002000000001"
                      host: 10.0.0.5
                      password: ${NVR_PASSWORD}
                      share: ["34020000001320000001"]
                    - id: "35000000002000000001"
                      domain: "3500000001"
                      host: city.example
                      port: 15060
                      transport: tcp
                      password: p
                      expires: 10m
                      keepalive-interval: 30s
                      retry-min: 2s
                      retry-max: 1m
                      alarms: false
                """).gb28181();
        assertThat(c.uppers()).hasSize(2);
        Gb28181Config.Upper city = c.uppers().get(0);
        assertThat(city.domain()).isEqualTo("3400000000");
        assertThat(city.port()).isEqualTo(5060);
        assertThat(city.transport()).isEqualTo("UDP");
        assertThat(city.password()).isEqualTo("nvr-s3cret");
        assertThat(city.expires()).isEqualTo(Duration.ofHours(1));
        assertThat(city.keepaliveInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(city.retryMin()).isEqualTo(Duration.ofSeconds(1));
        assertThat(city.retryMax()).isEqualTo(Duration.ofMinutes(5));
        assertThat(city.share()).containsExactly("34020000001320000001");
        assertThat(city.alarms()).isTrue();
        Gb28181Config.Upper other = c.uppers().get(1);
        assertThat(other).isEqualTo(new Gb28181Config.Upper("35000000002000000001", "3500000001", "city.example", 15060, "TCP", "p",
                Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofMinutes(1), List.of(), false));
    }

    @Test
    void pulledCamerasAreSharedUpwardUnderChannelIdsAndPushedOnesAreRefused() {
        String cameras = """
                cameras:
                  - id: cam-gate
                    name: 大门
                    site: xian/town/plant
                    source: {mode: pull, url: "rtsp://10.1.2.3/ch1"}
                  - id: cam-push
                    name: 井口
                    site: xian/town/mine
                    secret: push-token-0123456789
                    source: {mode: push}
                """;
        String upper = """
                gb28181:
                  server-id: "34020000002000000001"
                  upper:
                    - id: "34000000002000000001"
                      host: city.example
                      password: p
                      share-cameras:
                        - {id: "34020000001320000101", camera: %s}
                """;
        Gb28181Config.Upper city = read(HEAD + cameras + upper.formatted("cam-gate")).gb28181().uppers().get(0);
        assertThat(city.shareCameras()).containsExactly(Map.entry("34020000001320000101", "cam-gate"));
        assertThat(city.share()).isEmpty();

        assertThat(errors(HEAD + cameras + upper.formatted("cam-push")))
                .anyMatch(x -> x.contains("gb28181.upper[0].share-cameras[0].camera") && x.contains("mode pull") && x.contains("cam-push"));
        assertThat(errors(HEAD + cameras + upper.formatted("cam-nowhere")))
                .anyMatch(x -> x.contains("share-cameras[0].camera") && x.contains("cam-nowhere"));
    }

    @Test
    void anUpperPlatformsMistakesAreEachReported() {
        List<String> e = errors(HEAD + """
                gb28181:
                  upper:
                    - id: "3400"
                      host: 10.0.0.5
                      transport: SCTP
                      share: ["12"]
                """);
        assertThat(e).anyMatch(x -> x.contains("gb28181.upper[0].id") && x.contains("20 digits"));
        assertThat(e).anyMatch(x -> x.contains("gb28181.upper[0].transport") && x.contains("UDP or TCP"));
        assertThat(e).anyMatch(x -> x.contains("gb28181.upper[0]") && x.contains("password"));
        assertThat(e).anyMatch(x -> x.contains("gb28181.upper[0].share") && x.contains("'12'"));
    }

    @Test
    void anOnDemandChannelNeedsACamera() {
        List<String> e = errors(HEAD + """
                gb28181:
                  devices:
                    - id: "34020000001180000001"
                      password: p
                      grid: xian/town/mine
                      channels:
                        - {id: "34020000001320000001", on-demand: true}
                """);
        assertThat(e).anyMatch(x -> x.contains("on-demand") && x.contains("needs a camera"));
    }
}
