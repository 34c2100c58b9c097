package io.safegrid.cascade;

import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeploymentLoader;
import io.safegrid.config.auth.PasswordHash;
import io.safegrid.model.Level;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** Deployments for a county node and its coal mine's node, and findings to send between them. */
final class Nodes {
    static final String TOKEN = "mine-link-token-1";
    static final String HASH = PasswordHash.hash(TOKEN.toCharArray());
    static final GridPath MINE = GridPath.parse("xian/town/mine");
    static final GridPath PLANT = GridPath.parse("xian/town/plant");
    private static final String GRID = """
            name: 测试县
            node: {bind-address: 127.0.0.1}
            grid:
              id: xian
              kind: county
              children:
                - id: town
                  kind: township
                  children:
                    - {id: mine, kind: enterprise, industry: coal-mine}
                    - {id: plant, kind: enterprise, industry: chemicals}
            """;

    private Nodes() {
    }

    static ConfigSource county() {
        return of(GRID + "cascade:\n  listen-port: 0\n  peers:\n    - {id: mine, token-hash: \"" + HASH
                + "\", grid: xian/town/mine}\n");
    }

    static ConfigSource enterprise(int countyPort, String token) {
        return enterprise(countyPort, token, "");
    }

    /** @param tls more of the upstream's settings, e.g. {@code , tls: true} */
    static ConfigSource enterprise(int countyPort, String token, String tls) {
        return of(GRID + "cascade:\n  upstream: {address: \"127.0.0.1:" + countyPort + "\", peer: mine, token: \""
                + token + "\"" + tls + "}\n  reconnect-max: 400ms\n");
    }

    /** A county serving its link over TLS with this certificate and key (PEM files). */
    static ConfigSource county(Path cert, Path key) {
        return of(GRID + "cascade:\n  listen-port: 0\n  tls: {cert: \"" + cert + "\", key: \"" + key + "\"}\n  peers:\n"
                + "    - {id: mine, token-hash: \"" + HASH + "\", grid: xian/town/mine}\n");
    }

    private static ConfigSource of(String yaml) {
        Deployment d = new DeploymentLoader(Map.<String, String>of()::get).read("test.yaml", yaml, null);
        return ConfigSource.of(d);
    }

    static Finding finding(int n, GridPath site) {
        return new Finding("f-" + n, FindingKind.THRESHOLD, Level.YELLOW, Condition.ACTIVE, "ch4-1", site,
                "methane", null, 1.0 + n / 1000.0, Double.NaN, Instant.parse("2026-11-29T05:00:00Z").plusSeconds(n),
                "甲烷超限 #" + n, null, Map.of("unit", "%"));
    }
}
