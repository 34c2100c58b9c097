package io.safegrid.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.node.TestCounty;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code safegrid run} refusing to start, as an operator sees it: one line naming the setting and the
 * fix, no stack trace, a non-zero exit; and a node that does start without QuestDB's start-up advice.
 */
class StartupProblemsTest {
    private static final Map<String, String> EN = Map.of("SAFEGRID_LANG", "en");

    @TempDir
    Path dir;

    @Test
    void aPortInUseIsOneLineNamingItsKeyAndTheFix() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Path config = county(TestCounty.yaml(dir.resolve("data")).replaceFirst("(?m)^  mqtt-port: 0$", "  mqtt-port: " + port));
            CliProcess run = CliProcess.run(dir, EN, "run", "-c", config.toString());

            assertThat(run.exitCode()).isEqualTo(3);
            List<String> problems = problemLines(run.err());
            assertThat(problems).hasSize(1);
            assertThat(problems.get(0)).contains("node.mqtt-port", "127.0.0.1:" + port, "already in use", "fix:");
            assertNoStackTrace(run.all());
        }
    }

    @Test
    void anUnwritableDataDirectoryIsOneLineNamingItsKeyAndTheFix() throws Exception {
        // root writes through any permission bits: a data directory below a plain file cannot be made by anyone
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        Path config = county(TestCounty.yaml(file.resolve("data")));
        CliProcess run = CliProcess.run(dir, EN, "run", "-c", config.toString());

        assertThat(run.exitCode()).isEqualTo(3);
        List<String> problems = problemLines(run.err());
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).contains("node.data-dir", file.toString(), "not a directory", "fix:");
        assertNoStackTrace(run.all());
        assertThat(file).hasContent("x");
    }

    @Test
    void aWrongRecordDatabaseUrlIsOneLineInChineseWhenAsked() throws Exception {
        Path config = county(TestCounty.yaml(dir.resolve("data"))
                + "\nrecord:\n  target: influxdb\n  url: http://no-such-influxdb.invalid:8086\n");
        CliProcess run = CliProcess.run(dir, Map.of("SAFEGRID_LANG", "zh"), "run", "-c", config.toString());

        assertThat(run.exitCode()).isEqualTo(3);
        List<String> problems = run.err().lines().filter(l -> l.startsWith("节点未启动")).toList();
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).contains("record.url", "no-such-influxdb.invalid", "无法解析", "处理：");
        assertNoStackTrace(run.all());
    }

    @Test
    void aWrongAlarmStoreUrlIsOneLineNamingItsKeyAndTheFix() throws Exception {
        Path config = county(TestCounty.yaml(dir.resolve("data"))
                + "\nalarms:\n  store: {url: \"jdbc:postgresql://no-such-db.invalid:5432/safegrid\", user: safegrid}\n");
        CliProcess run = CliProcess.run(dir, EN, "run", "-c", config.toString());

        assertThat(run.exitCode()).isEqualTo(3);
        List<String> problems = problemLines(run.err());
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).contains("alarms.store.url", "no-such-db.invalid", "is unknown", "fix:");
        assertNoStackTrace(run.all());
    }

    @Test
    void aNodeThatStartsPrintsNoneOfQuestDbsStartUpAdviceAndASecondOnItsDataIsRefusedInOneLine() throws Exception {
        Path config = county(TestCounty.yaml(dir.resolve("data")));
        CliProcess run = CliProcess.start(dir, EN, "run", "-c", config.toString());
        try {
            run.awaitLine("SafeGrid is running", Duration.ofSeconds(150));
            CliProcess second = CliProcess.run(dir, EN, "run", "-c", config.toString());
            assertThat(second.exitCode()).isEqualTo(3);
            List<String> problems = problemLines(second.err());
            assertThat(problems).hasSize(1);
            assertThat(problems.get(0)).contains("node.data-dir", "open in another SafeGrid process", "fix:");
            assertNoStackTrace(second.all());
        } finally {
            run.stop();
        }
        String all = run.all();
        assertThat(all).contains("Embedded QuestDB listening");
        // QuestDB's banner, its OS-limit advice and its log-config notice all came at every start
        assertThat(all).doesNotContain("server-main", "fs.file-max", "vm.max_map_count", "Reading log configuration");
    }

    private Path county(String yaml) throws Exception {
        return Files.writeString(dir.resolve("county.yaml"), yaml);
    }

    private static List<String> problemLines(String err) {
        return err.lines().filter(l -> l.startsWith("The node did not start")).toList();
    }

    private static void assertNoStackTrace(String output) {
        assertThat(output).doesNotContain("\tat ", "Exception", "io.netty");
    }
}
