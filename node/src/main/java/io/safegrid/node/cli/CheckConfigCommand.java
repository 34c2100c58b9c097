package io.safegrid.node.cli;

import io.safegrid.config.ConfigError;
import io.safegrid.config.ConfigException;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeploymentLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Validates a deployment file: every problem with its line, exit 0 only when there are none. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate a deployment file; print every error with file, line and field.")
final class CheckConfigCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "the deployment YAML")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Deployment d = DeploymentLoader.load(file);
            out.printf("%s: valid — %d grid nodes, %d sensors, %d cameras, %d rules, %d users%n", file,
                    d.grid().size(), d.sensors().size(), d.cameras().size(), d.rules().size(), d.users().size());
            out.flush();
            return 0;
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                err.println(error);
            }
            err.printf("%d error%s%n", e.errors().size(), e.errors().size() == 1 ? "" : "s");
            err.flush();
            return 1;
        }
    }
}
