package io.safegrid.node.supervision;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.HazardsConfig;
import io.safegrid.config.NodeSettings;
import io.safegrid.assessment.accident.AccidentBook;
import io.safegrid.assessment.indicator.Sources;
import io.safegrid.assessment.score.AssessmentService;
import io.safegrid.config.demo.DemoCounty;
import io.safegrid.console.Console;
import io.safegrid.console.health.Health;
import io.safegrid.hazard.register.HazardService;
import io.safegrid.hazard.register.HazardSettings;
import io.safegrid.supervision.Supervision;
import io.safegrid.supervision.SupervisionSettings;
import io.safegrid.testing.ConsoleHttp;
import io.safegrid.testing.FactLists;
import io.safegrid.testing.MovingClock;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * The real console over the demo county with the real hazard register, supervision stage and
 * assessment (H2 files in a temp dir), wired as the node wires them, and a clock the test moves.
 */
final class SupervisionConsole implements AutoCloseable {
    static final Map<String, String> PASSWORDS = Map.of("admin", "Demo-Admin-2026", "wang-fang", "Demo-County-2026",
            "zheng-ming", "Demo-Town-2026", "zhang-hui", "Demo-Mine-2026");
    /** Early in the fourth quarter of 2026 (Beijing time). */
    static final Instant START = Instant.parse("2026-10-08T01:00:00Z");
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    final MovingClock clock = new MovingClock(START);
    final ConfigSource config;
    final HazardService hazards;
    final Supervision supervision;
    final AccidentBook accidents;
    final AssessmentService assessments;
    final Console console;
    final ConsoleHttp http;

    SupervisionConsole(Path dir) throws Exception {
        Deployment d = DemoCounty.load(name -> null);
        NodeSettings n = d.node();
        config = ConfigSource.of(io.safegrid.testing.Deployments.from(d).node(new NodeSettings(n.nodeId(), n.roles(),
                "127.0.0.1", 0, -1, -1, -1, -1, dir, n.maxPayloadBytes(), n.maxReadingsPerSecondPerDevice(), null)).build());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HazardsConfig h = HazardsConfig.defaults();
        hazards = new HazardService(config, HazardSettings.of(h, dir), clock, registry).start(false);
        supervision = Supervision.open(config, SupervisionSettings.of(h, dir), clock, registry, () -> hazards);
        // scored as the node scores: the register's hazards and archive, the plans' completion (no alarms here)
        accidents = AccidentBook.open(AccidentBook.embeddedUrl(dir), null, null, clock);
        assessments = new AssessmentService(config, () -> new Sources(FactLists.alarms(List.of()), hazards.facts(),
                supervision.inspections(), hazards.archive(), accidents), ZONE, registry);
        Health health = new Health();
        health.markStarted();
        console = new Console(config, registry, health).hazardRegister(hazards).enterpriseArchive(hazards.archive())
                .inspections(supervision.inspections()).redLines(supervision.redLines()).assessments(assessments).start(null);
        http = new ConsoleHttp(console::port, PASSWORDS);
    }

    String url(String path) { return http.uri(path).toString(); }

    @Override
    public void close() {
        console.close();
        supervision.close();
        hazards.close();
    }
}
