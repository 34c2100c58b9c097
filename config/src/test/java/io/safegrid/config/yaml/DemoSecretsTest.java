package io.safegrid.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.safegrid.config.ConfigError;
import io.safegrid.config.ConfigException;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeploymentLoader;
import io.safegrid.config.auth.PasswordHash;
import io.safegrid.config.demo.DemoCounty;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A deployment that does not say it is a demo cannot run on what the demo publishes. */
class DemoSecretsTest {
    static final String HEAD = """
            name: 测试
            metrics:
              - {id: methane, unit: "%", range: [0, 40]}
            device-classes:
              - {id: face, offline-after: 60s}
            grid:
              id: xian
              kind: county
              children:
                - id: town
                  kind: township
                  children:
                    - {id: mine, kind: enterprise, industry: coal-mine}
            """;

    static List<String> errors(String yaml, Map<String, String> env) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new DeploymentLoader(env::get).read("county.yaml", yaml, null));
        assertThat(e).as("expected the file to be rejected").isNotNull();
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    static int line(String text, String containing) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(containing)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line contains " + containing);
    }

    @Test
    void theDemoCountyWithoutDemoTrueIsRefusedAtEveryPublishedSecretEvenWithTheVariablesSet() {
        String text = DemoCounty.text().replace("  demo: true\n", "");
        List<String> errors = errors(text, Map.of("HONGDA_LOGGER_PW", "a-real-logger-pw", "OPS_WEBHOOK_SECRET", "a-real-webhook-secret"));
        assertThat(errors).contains(
                "county.yaml:" + line(text, "{name: admin,") + ": users[0].password-hash: the demo county's published password "
                        + "(safegrid demo prints it); set a real one (or node.demo: true if this deployment is a demo)",
                "county.yaml:" + line(text, "secret: demo-kc-ch4-t1-7Qx2") + ": sensors[0].secret: a demo secret (demo-…); "
                        + "set a real one (or node.demo: true if this deployment is a demo)",
                "county.yaml:" + line(text, "secret: demo-cam-kc-pithead-2Xw9") + ": cameras[0].secret: a demo secret (demo-…); "
                        + "set a real one (or node.demo: true if this deployment is a demo)");
        assertThat(errors).anySatisfy(e -> assertThat(e).contains(".hj212.pw: falls back to the demo county's published secret "
                + "when HONGDA_LOGGER_PW is unset"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains(".hj212.pw: the demo county's published secret"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("channels[0].secret: falls back to the demo county's "
                + "published secret when OPS_WEBHOOK_SECRET is unset"));
        assertThat(errors.stream().filter(e -> e.contains("password-hash"))).as("every demo login").hasSize(4);
        assertThat(errors).allSatisfy(e -> assertThat(e).contains("demo"));
    }

    @Test
    void theDemoItselfLoads() {
        Deployment d = DemoCounty.load(name -> null);
        assertThat(d.node().demo()).isTrue();
        assertThat(d.node().bindAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void aDemoPasswordHashedAfreshOrCopiedToAnotherNameIsStillRefused() {
        String rehashed = PasswordHash.hash("Demo-Admin-2026".toCharArray());
        String demoHash = DemoCounty.load(name -> null).users().stream().filter(u -> u.name().equals("wang-fang"))
                .findFirst().orElseThrow().passwordHash();
        List<String> errors = errors(HEAD + """
                users:
                  - {name: admin, role: admin, scope: xian, password-hash: "%s"}
                  - {name: li-hua, role: admin, scope: xian, password-hash: "%s"}
                  - {name: zhao, role: admin, scope: xian, password-hash: "${ZHAO_HASH:-%s}"}
                """.formatted(rehashed, demoHash, demoHash), Map.of("ZHAO_HASH", PasswordHash.hash("x".toCharArray())));
        assertThat(errors).containsExactly(
                "county.yaml:15: users[0].password-hash: the demo county's published password (safegrid demo prints it); "
                        + "set a real one (or node.demo: true if this deployment is a demo)",
                "county.yaml:16: users[1].password-hash: the demo county's published password (safegrid demo prints it); "
                        + "set a real one (or node.demo: true if this deployment is a demo)",
                "county.yaml:17: users[2].password-hash: falls back to a demo login's password when ZHAO_HASH is unset; "
                        + "set a real one (or node.demo: true if this deployment is a demo)");
    }

    @Test
    void realSecretsAndAdminWithARealPasswordLoad() {
        String hash = PasswordHash.hash("Kecheng-Duty-7731".toCharArray());
        Deployment d = new DeploymentLoader(Map.of("CH4_SECRET", "kc-ch4-9f3Lm2x")::get).read("county.yaml", HEAD + """
                sensors:
                  - {id: ch4-1, site: xian/town/mine, metric: methane, class: face, protocol: mqtt, secret: "${CH4_SECRET}"}
                  - {id: ch4-2, site: xian/town/mine, metric: methane, class: face, protocol: mqtt, secret: "${CH4_2:-kc-ch4-2-x8Pq}"}
                users:
                  - {name: admin, role: admin, scope: xian, password-hash: "%s"}
                """.formatted(hash), null);
        assertThat(d.node().demo()).isFalse();
        assertThat(d.users()).hasSize(1);
    }

    @Test
    void aDeploymentThatSaysItIsADemoMayUseThem() {
        Deployment d = new DeploymentLoader(k -> null).read("county.yaml", HEAD + """
                node: {demo: true}
                sensors:
                  - {id: ch4-1, site: xian/town/mine, metric: methane, class: face, protocol: mqtt, secret: demo-kc-ch4-t1-7Qx2}
                """, null);
        assertThat(d.node().demo()).isTrue();
    }
}
