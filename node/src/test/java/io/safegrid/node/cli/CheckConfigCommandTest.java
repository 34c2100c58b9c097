package io.safegrid.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.node.TestCounty;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckConfigCommandTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run check(Path file) {
        CommandLine cli = SafeGridCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("check-config", file.toString());
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void theDemoCountyIsValid() throws Exception {
        Run run = check(TestCounty.write(dir));
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("valid").contains("sensors");
    }

    @Test
    void threeMistakesGiveThreeErrorsWithTheirLinesAndANonZeroExit() throws Exception {
        List<String> lines = Files.readAllLines(TestCounty.write(dir));
        int metric = mistake(lines, "metric: methane,", "metric: ch5,");
        int role = mistake(lines, "role: township-officer", "role: township-oficer");
        int fps = mistake(lines, "fps: 5", "fps: -5");
        Path bad = dir.resolve("bad.yaml");
        Files.write(bad, lines);

        Run run = check(bad);

        assertThat(run.exit()).isNotZero();
        List<String> errors = run.err().lines().filter(l -> l.startsWith("bad.yaml:")).toList();
        assertThat(errors).hasSize(3);
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("bad.yaml:" + metric + ":").contains("unknown metric 'ch5'"));
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("bad.yaml:" + role + ":").contains("township-oficer"));
        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("bad.yaml:" + fps + ":").contains("fps"));
        assertThat(run.err()).contains("3 errors");
    }

    @Test
    void aDeploymentOnTheDemosPublishedSecretsIsRefusedUnlessItSaysItIsADemo() throws Exception {
        Path file = TestCounty.write(dir);
        List<String> lines = Files.readAllLines(file);
        int demo = mistake(lines, "demo: true", "demo: false");
        Path prod = dir.resolve("prod.yaml");
        Files.write(prod, lines);

        Run run = check(prod);

        assertThat(run.exit()).isNotZero();
        List<String> errors = run.err().lines().filter(l -> l.startsWith("prod.yaml:")).toList();
        assertThat(errors).anySatisfy(e -> assertThat(e).matches("prod\\.yaml:\\d+: users\\[0\\]\\.password-hash: the demo county's "
                + "published password .*node\\.demo: true.*"));
        assertThat(errors).anySatisfy(e -> assertThat(e).matches("prod\\.yaml:\\d+: sensors\\[0\\]\\.secret: a demo secret .*"));
        assertThat(errors).allSatisfy(e -> assertThat(e).contains("demo"));
        assertThat(demo).isPositive();

        java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.err;
        System.setErr(new java.io.PrintStream(stderr, true, java.nio.charset.StandardCharsets.UTF_8));
        int exit;
        try {
            exit = SafeGridCli.commandLine().execute("run", "-c", prod.toString());
        } finally {
            System.setErr(old);
        }
        assertThat(exit).as("run refuses to start").isEqualTo(2);
        assertThat(stderr.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("users[0].password-hash: the demo county's published password")
                .contains("not starting");
    }

    /** Replaces the first occurrence and returns its 1-based line number. */
    private static int mistake(List<String> lines, String from, String to) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(from)) {
                lines.set(i, lines.get(i).replaceFirst(java.util.regex.Pattern.quote(from), to));
                return i + 1;
            }
        }
        throw new AssertionError("demo county has no '" + from + "'");
    }
}
