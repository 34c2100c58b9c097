package io.safegrid.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.safegrid.config.CascadeConfig;
import io.safegrid.config.ConfigError;
import io.safegrid.config.ConfigException;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeploymentLoader;
import io.safegrid.config.auth.PasswordHash;
import io.safegrid.model.grid.GridPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code cascade:} section: an enterprise's upstream, a county's peers, and their mistakes. */
class CascadeSectionTest {
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
            """;
    private static final String HASH = PasswordHash.hash("s3cret-token".toCharArray());

    private static Deployment read(String yaml) {
        return new DeploymentLoader(Map.of("CASCADE_TOKEN", "s3cret-token")::get).read("county.yaml", yaml, null);
    }

    private static List<String> errors(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> read(yaml));
        assertThat(e).as("expected the file to be rejected").isNotNull();
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void leftOutThereIsNoCascade() {
        CascadeConfig c = read(HEAD).cascade();
        assertThat(c.enabled()).isFalse();
        assertThat(c.upstream()).isNull();
        assertThat(c.listenPort()).isEqualTo(-1);
    }

    @Test
    void anEnterpriseNodeForwardsToItsCountyWithTheTokenFromTheEnvironment() {
        CascadeConfig c = read(HEAD + """
                cascade:
                  upstream: {address: "county.example.cn:9400", peer: mine, token: "${CASCADE_TOKEN}"}
                  queue-max-mb: 64
                  reconnect-max: 5s
                """).cascade();
        assertThat(c.enabled()).isTrue();
        assertThat(c.upstream()).isEqualTo(new CascadeConfig.Upstream("county.example.cn", 9400, "mine", "s3cret-token"));
        assertThat(c.upstream().toString()).doesNotContain("s3cret");
        assertThat(c.queueMaxBytes()).isEqualTo(64L << 20);
        assertThat(c.reconnectMax()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aCountyNodeListensForItsPeers() {
        CascadeConfig c = read(HEAD + "cascade:\n  listen-port: 9400\n  peers:\n    - {id: mine, token-hash: \""
                + HASH + "\", grid: xian/town/mine}\n").cascade();
        assertThat(c.listenPort()).isEqualTo(9400);
        assertThat(c.peer("mine")).get().satisfies(p -> {
            assertThat(p.grid()).isEqualTo(GridPath.parse("xian/town/mine"));
            assertThat(PasswordHash.verify("s3cret-token".toCharArray(), p.tokenHash())).isTrue();
        });
        assertThat(c.peer("other")).isEmpty();
    }

    @Test
    void mistakesAreReportedAtTheirLines() {
        assertThat(errors(HEAD + """
                cascade:
                  upstream: {address: "county.example.cn", peer: Mine, token: x}
                  peers:
                    - {id: mine, token-hash: "plain-text", grid: xian/town/mime}
                    - {id: mine2, token-hash: "%s", grid: xian/town/mine, extra: 1}
                """.formatted(HASH))).containsExactly(
                "county.yaml:11: cascade.upstream.peer: bad peer id 'Mine': use a-z, 0-9, '-' and '_'",
                "county.yaml:11: cascade.upstream.address: expected host:port, got 'county.example.cn'",
                "county.yaml:13: cascade.peers[0].token-hash: not a pbkdf2-sha256 hash (make one with io.safegrid.config.auth.PasswordHash)",
                "county.yaml:13: cascade.peers[0].grid: no grid node 'xian/town/mime'",
                "county.yaml:13: cascade.listen-port: required when peers are listed (0 picks a free port)",
                "county.yaml:14: cascade.peers[1]: unknown key 'extra' (allowed: id, token-hash, grid)");
    }

    @Test
    void overTlsTheCountyNamesItsCertificateAndTheEnterpriseTheCaItTrusts(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("county.crt"), "-----BEGIN CERTIFICATE-----\n");
        Path key = Files.writeString(dir.resolve("county.key"), "-----BEGIN PRIVATE KEY-----\n");
        CascadeConfig county = read(HEAD + "cascade:\n  listen-port: 9400\n  tls: {cert: \"" + cert + "\", key: \"" + key
                + "\"}\n").cascade();
        assertThat(county.tls()).isEqualTo(new CascadeConfig.ServerTls(cert, key));
        assertThat(read(HEAD + "cascade:\n  listen-port: 9400\n").cascade().tls()).as("plain unless asked").isNull();

        CascadeConfig.Upstream upstream = read(HEAD + "cascade:\n  upstream: {address: \"county.example.cn:9400\", peer: mine,"
                + " token: x, tls-trust: \"" + cert + "\"}\n").cascade().upstream();
        assertThat(upstream.tls()).as("naming a CA to trust turns TLS on").isTrue();
        assertThat(upstream.trust()).isEqualTo(cert);
        CascadeConfig.Upstream publicCa = read(HEAD + "cascade:\n  upstream: {address: \"county.example.cn:9400\", peer: mine,"
                + " token: x, tls: true}\n").cascade().upstream();
        assertThat(publicCa.tls()).isTrue();
        assertThat(publicCa.trust()).as("the JVM's own CAs").isNull();
    }

    @Test
    void tlsMistakesNameTheFieldBeforeAnyHandshake(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("county.crt"), "x");
        assertThat(errors(HEAD + """
                cascade:
                  tls: {cert: "%s", key: "%s"}
                  upstream: {address: "county.example.cn:9400", peer: mine, token: x, tls: false, tls-trust: "%s"}
                """.formatted(cert, dir.resolve("missing.key"), dir))).containsExactly(
                "county.yaml:11: cascade.tls.key: cannot read file '" + dir.resolve("missing.key") + "'",
                "county.yaml:11: cascade.listen-port: required with tls: it is the certificate of the port enterprises connect to",
                "county.yaml:12: cascade.upstream.tls-trust: cannot read file '" + dir + "'",
                "county.yaml:12: cascade.upstream.tls: tls-trust is set but tls is false");
    }
}
