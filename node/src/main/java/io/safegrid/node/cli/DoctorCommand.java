package io.safegrid.node.cli;

import io.safegrid.config.ConfigError;
import io.safegrid.config.ConfigException;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeploymentLoader;
import io.safegrid.node.doctor.Doctor;
import io.safegrid.node.doctor.Finding;
import io.safegrid.node.doctor.Texts;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Checks a deployment on the host it will run on, without starting it, and prints what to fix:
 * exit 0 when nothing is a problem (warnings allowed), 1 when something is, 2 when the file is invalid.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check a deployment on this host (ports, data directory, disk, clock, InfluxDB, Kafka, real-time priority) and print what to fix.")
final class DoctorCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the deployment YAML")
    Path config;

    @Option(names = "--roles", split = ",", paramLabel = "ROLE", description = "the roles the node will run (default: as configured)")
    List<String> roles;

    @Option(names = "--lang", paramLabel = "zh|en", description = "language of the report (default: SAFEGRID_LANG, else the system locale)")
    String lang;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        quietLogsUnlessAsked();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Texts t = Texts.choose(lang);
        Deployment d;
        try {
            d = new DeploymentLoader().read(config);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                err.println(error);
            }
            err.flush();
            return 2;
        }
        Set<String> r = roles == null ? d.node().roles() : new LinkedHashSet<>(roles);
        out.println(t.get("doctor.title", config, String.join(",", r)));
        out.flush();
        Doctor doctor = Doctor.full();
        // on a terminal one line redrawn in place; in a log, one line per check
        boolean tty = System.console() != null;
        List<Finding> findings = doctor.run(d, r, (i, title) -> {
            String line = t.get("doctor.progress", Integer.toString(i), Integer.toString(doctor.size()), t.get(title));
            err.print(tty ? "\r\u001b[2K" + line : line + System.lineSeparator());
            err.flush();
        });
        if (tty) {
            err.print("\r\u001b[2K");
            err.flush();
        }
        long fails = findings.stream().filter(f -> f.status() == Finding.Status.FAIL).count();
        long warns = findings.stream().filter(f -> f.status() == Finding.Status.WARN).count();
        for (Finding f : findings) {
            out.printf("[%s] %s%n", t.get("status." + f.status()), f.line(t));
        }
        out.println(fails + warns == 0 ? t.get("doctor.healthy")
                : t.get("doctor.summary", Long.toString(fails), Long.toString(warns)));
        out.flush();
        return fails == 0 ? 0 : 1;
    }

    /** The checks' own components (Kafka's admin client, the real-time probe) log at INFO; the report says it all. */
    private static void quietLogsUnlessAsked() {
        if (System.getenv("SAFEGRID_LOG_LEVEL") == null
                && org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }
}
