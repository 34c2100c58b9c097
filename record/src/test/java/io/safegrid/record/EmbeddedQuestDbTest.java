package io.safegrid.record;

import static io.safegrid.record.RecordFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.model.Level;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.reading.Reading;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readings, findings and alarm events off the bus into the embedded QuestDB, read back by the history queries. */
class EmbeddedQuestDbTest {
    @TempDir
    static Path dir;
    static EmbeddedQuestDb questDb;
    static QuestDbHistory history;
    static InProcessBus bus;
    static Recorder recorder;
    static SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** Three whole minutes, well inside the retention window. */
    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);

    @BeforeAll
    static void start() throws Exception {
        RecordSettings settings = settings(dir);
        questDb = new EmbeddedQuestDb(settings).start();
        history = questDb.history();
        bus = new InProcessBus();
        recorder = new Recorder(settings, questDb.url(), config(), bus, registry);
        recorder.start();
        // methane at the working face: one value every 10 s for three minutes, 0.10 … 0.27
        for (int i = 0; i < 18; i++) {
            bus.publish(Topic.READINGS, "ch4-1", Reading.sample("ch4-1", FACE1, "ch4", 0.10 + i * 0.01,
                    T0.plusSeconds(i * 10L)));
        }
        // another device and metric, which must not leak into ch4-1's series
        bus.publish(Topic.READINGS, "co-1", Reading.sample("co-1", FACE1, "co", 99, T0.plusSeconds(5)));
        bus.publish(Topic.FINDINGS, "ch4-1", new Finding("f-1", FindingKind.THRESHOLD, Level.ORANGE, Condition.ACTIVE,
                "ch4-1", FACE1, "methane-working-face", null, 1.2, 1.0, T0.plusSeconds(30), "甲烷超限\n请撤人", null,
                Map.of("metric", "ch4")));
        // alarms: two raised in 克城镇 on the first day, one in 黄土镇 on the next, plus a non-raise event
        bus.publish(Topic.ALARMS, "a-1", raised(1, "a-1", FACE1, T0));
        bus.publish(Topic.ALARMS, "a-2", raised(2, "a-2", COALMINE7, T0.plusSeconds(60)));
        bus.publish(Topic.ALARMS, "a-3", raised(3, "a-3", CHEM2, T0.plus(1, ChronoUnit.DAYS)));
        var ack = raised(4, "a-1", FACE1, T0.plusSeconds(90));
        bus.publish(Topic.ALARMS, "a-1", new io.safegrid.model.alarm.AlarmEvent(4,
                io.safegrid.model.alarm.AlarmEvent.Type.ACKNOWLEDGED, "a-1", ack.time(), "zhang", "已派人", ack.alarm()));
        await().atMost(Duration.ofSeconds(60)).until(() -> registry.counter("safegrid.record.points.written").count() == 24);
    }

    @AfterAll
    static void stop() {
        recorder.close();
        bus.close();
        questDb.close();
    }

    @Test
    void itsHttpEndpointRefusesRequestsWithoutItsPasswordWhichIsKeptForTheNodeUserOnlyAndNeverLogged() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        java.net.URI exec = java.net.URI.create(questDb.url() + "/exec?query=select+count()+from+reading");
        java.net.URI write = java.net.URI.create(questDb.url() + "/api/v2/write?precision=ms");
        var line = java.net.http.HttpRequest.BodyPublishers.ofString("intruder,device=x value=1 1700000000000\n");
        String password = QuestDbLogin.password(settings(dir));
        String wrong = QuestDbLogin.authorization(password + "x");
        for (String auth : new String[] {null, wrong, "Basic " + java.util.Base64.getEncoder().encodeToString(
                ("admin:quest").getBytes(java.nio.charset.StandardCharsets.UTF_8))}) {
            var read = java.net.http.HttpRequest.newBuilder(exec).GET();
            var post = java.net.http.HttpRequest.newBuilder(write).POST(line);
            if (auth != null) {
                read.header("Authorization", auth);
                post.header("Authorization", auth);
            }
            assertThat(http.send(read.build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as("SQL with " + (auth == null ? "no login" : "a wrong login")).isEqualTo(401);
            assertThat(http.send(post.build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as("a write with " + (auth == null ? "no login" : "a wrong login")).isEqualTo(401);
        }
        assertThat(http.send(java.net.http.HttpRequest.newBuilder(exec).header("Authorization", questDb.authorization())
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(questDb.authorization()).isEqualTo(QuestDbLogin.authorization(password));

        Path file = dir.resolve(QuestDbLogin.FILE);
        assertThat(java.nio.file.Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(password).hasSizeGreaterThanOrEqualTo(32);
        String settingsPage = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(questDb.url() + "/settings"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(settingsPage).doesNotContain(password);
        assertThat(settings(dir).questDbDir().resolve("log")).as("QuestDB keeps no log file; its lines go to the node's log")
                .doesNotExist();
        for (String sub : List.of("conf")) {   // what QuestDB writes of its configuration
            for (Path f : java.nio.file.Files.list(settings(dir).questDbDir().resolve(sub)).toList()) {
                assertThat(new String(java.nio.file.Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
                        .as(f.toString()).doesNotContain(password);
            }
        }
    }

    @Test
    void aConfiguredPasswordIsUsedInsteadOfTheGeneratedOne() {
        RecordSettings s = settings(dir.resolve("configured")).withToken("configured-password-0123456789");
        assertThat(QuestDbLogin.password(s)).isEqualTo("configured-password-0123456789");
        assertThat(dir.resolve("configured").resolve(QuestDbLogin.FILE)).doesNotExist();
        RecordSettings generated = settings(dir.resolve("generated"));
        assertThat(QuestDbLogin.password(generated)).as("kept across restarts").isEqualTo(QuestDbLogin.password(generated))
                .isNotEqualTo(QuestDbLogin.password(settings(dir.resolve("other"))));
    }

    @Test
    void itsMostlyIdlePoolsAreSizedForAMachineItSharesWithTheNode() {
        int half = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        Map<String, Long> threads = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.matches("(wal-apply|shared-write|shared-query|shared-network)_\\d+"))
                .collect(java.util.stream.Collectors.groupingBy(n -> n.substring(0, n.lastIndexOf('_')),
                        java.util.stream.Collectors.counting()));
        assertThat(threads).containsEntry("wal-apply", (long) half).containsEntry("shared-write", (long) half)
                .containsEntry("shared-query", (long) half).containsKey("shared-network");
        // an operator's own QDB_ setting wins
        Map<String, String> env = new java.util.HashMap<>(Map.of("QDB_WAL_APPLY_WORKER_COUNT", "3"));
        EmbeddedQuestDb.smallPools(env, 16);
        assertThat(env).containsEntry("QDB_WAL_APPLY_WORKER_COUNT", "3").containsEntry("QDB_SHARED_WRITE_WORKER_COUNT", "8");
    }

    @Test
    void rawSeriesComesBackInOrderWithItsValues() {
        await().atMost(Duration.ofSeconds(60)).until(() -> history.raw("ch4-1", "ch4", T0, T0.plusSeconds(600), 100).size() == 18);
        List<HistoryQueries.Sample> raw = history.raw("ch4-1", "ch4", T0, T0.plusSeconds(600), 100);
        assertThat(raw).extracting(HistoryQueries.Sample::time).isSorted().first().isEqualTo(T0);
        assertThat(raw.get(17).value()).isCloseTo(0.27, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(history.raw("ch4-1", "ch4", T0, T0.plusSeconds(600), 5)).hasSize(5);
        assertThat(history.raw("co-1", "co", T0, T0.plusSeconds(600), 100)).extracting(HistoryQueries.Sample::value)
                .containsExactly(99.0);
    }

    @Test
    void oneMinuteDownsamplingGivesMeanMinMaxPerMinute() {
        await().atMost(Duration.ofSeconds(60)).until(() -> history.raw("ch4-1", "ch4", T0, T0.plusSeconds(600), 100).size() == 18);
        List<HistoryQueries.Bucket> buckets = history.downsampled("ch4-1", "ch4", T0, T0.plusSeconds(600), Duration.ofMinutes(1));
        assertThat(buckets).extracting(HistoryQueries.Bucket::start)
                .containsExactly(T0, T0.plusSeconds(60), T0.plusSeconds(120));
        HistoryQueries.Bucket first = buckets.get(0); // 0.10 … 0.15
        assertThat(first.count()).isEqualTo(6);
        assertThat(first.min()).isCloseTo(0.10, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(first.max()).isCloseTo(0.15, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(first.mean()).isCloseTo(0.125, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(buckets.get(2).max()).isCloseTo(0.27, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void alarmsAreCountedPerTownshipAndEnterprisePerLocalDay() {
        await().atMost(Duration.ofSeconds(60)).until(() ->
                history.alarmsPerDay(GridKind.TOWNSHIP, T0.minus(2, ChronoUnit.DAYS), T0.plus(3, ChronoUnit.DAYS)).size() == 2);
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        LocalDate day1 = T0.atZone(zone).toLocalDate();
        LocalDate day2 = T0.plus(1, ChronoUnit.DAYS).atZone(zone).toLocalDate();
        assertThat(history.alarmsPerDay(GridKind.TOWNSHIP, T0.minus(2, ChronoUnit.DAYS), T0.plus(3, ChronoUnit.DAYS)))
                .containsExactly(new HistoryQueries.DailyCount(day1, "keliqiao", 2), new HistoryQueries.DailyCount(day2, "huangtu", 1));
        assertThat(history.alarmsPerDay(GridKind.ENTERPRISE, T0.minus(2, ChronoUnit.DAYS), T0.plus(3, ChronoUnit.DAYS)))
                .containsExactly(new HistoryQueries.DailyCount(day1, "coalmine-7", 2), new HistoryQueries.DailyCount(day2, "chem-2", 1));
        assertThat(history.alarmsPerDay(GridKind.COUNTY, T0.minus(2, ChronoUnit.DAYS), T0.plus(3, ChronoUnit.DAYS)))
                .extracting(HistoryQueries.DailyCount::count).containsExactly(2L, 1L);
    }

    @Test
    void badQueriesGetAClearErrorNotAMalformedQuery() {
        assertThatThrownBy(() -> history.raw("x' OR '1'='1\n", "ch4", T0, T0.plusSeconds(1), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deviceId");
        assertThat(history.raw("x' OR '1'='1", "ch4", T0, T0.plusSeconds(600), 10)).isEmpty();
        assertThatThrownBy(() -> history.raw("ch4-1", "ch4", T0, T0, 1)).hasMessageContaining("from < to");
        assertThatThrownBy(() -> history.alarmsPerDay(GridKind.DEPARTMENT, T0, T0.plusSeconds(1)))
                .hasMessageContaining("not DEPARTMENT");
    }

    @Test
    void aReadingWithNoValueIsCountedNotWritten() {
        double before = registry.counter("safegrid.record.points.unwritable").count();
        recorder.record(Reading.sample("ch4-1", FACE1, "ch4", Double.NaN, T0));
        assertThat(registry.counter("safegrid.record.points.unwritable").count()).isEqualTo(before + 1);
    }

    @Test
    void aReplayedPointIsStoredOnceAndTablesExpireByDay() throws Exception {
        Reading point = Reading.sample("dup-1", FACE1, "ch4", 0.5, T0);
        recorder.record(point);
        recorder.record(point); // as a replay after a lost answer would send it again
        recorder.record(Reading.sample("dup-1", FACE1, "ch4", 0.6, T0.plusSeconds(1)));
        await().atMost(Duration.ofSeconds(60)).until(() -> history.raw("dup-1", "ch4", T0, T0.plusSeconds(60), 10).stream()
                .anyMatch(s -> s.value() == 0.6));
        assertThat(history.raw("dup-1", "ch4", T0, T0.plusSeconds(60), 10)).extracting(HistoryQueries.Sample::value)
                .containsExactly(0.5, 0.6);

        var http = java.net.http.HttpClient.newHttpClient();
        String body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(questDb.url() + "/exec?query="
                + java.net.URLEncoder.encode("SELECT partitionBy, dedup, ttlValue, ttlUnit FROM tables() WHERE table_name = 'reading'",
                java.nio.charset.StandardCharsets.UTF_8))).header("Authorization", questDb.authorization()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        var row = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("dataset").path(0);
        assertThat(row.path(0).asText()).as("partitioned by day").isEqualTo("DAY");
        assertThat(row.path(1).asBoolean()).as("deduplicated").isTrue();
        assertThat(row.path(2).asInt() + " " + row.path(3).asText()).as("TTL").startsWith("90 DAY");
    }

    @Test
    void oneInvalidLineIsRejectedAloneAndItsNeighboursAreStored() {
        double rejectedBefore = registry.counter("safegrid.record.points.rejected").count();
        Instant t = T0.plus(3, ChronoUnit.HOURS);
        for (int i = 0; i < 100; i++) {
            if (i == 40) { // a text value where the table has a number: QuestDB refuses the whole request
                recorder.offer("reading,device=mixed-1,metric=ch4,period=REALTIME,statistic=VALUE value=\"oops\" "
                        + t.plusSeconds(i).toEpochMilli());
            }
            recorder.record(Reading.sample("mixed-1", FACE1, "ch4", i, t.plusSeconds(i)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> history.raw("mixed-1", "ch4", t, t.plusSeconds(600), 500).size() == 100);
        assertThat(history.raw("mixed-1", "ch4", t, t.plusSeconds(600), 500)).extracting(HistoryQueries.Sample::value)
                .startsWith(0.0, 1.0).endsWith(99.0).doesNotHaveDuplicates();
        assertThat(registry.counter("safegrid.record.points.rejected").count()).isEqualTo(rejectedBefore + 1);
    }

    @Test
    void aSiteTheGridDoesNotKnowIsStillRecordedAndCounted() {
        double before = registry.counter("safegrid.record.points.unknown.site").count();
        recorder.record(Reading.sample("stray-1", io.safegrid.model.grid.GridPath.of("elsewhere", "pit-1"), "ch4", 0.7, T0));
        assertThat(registry.counter("safegrid.record.points.unknown.site").count()).isEqualTo(before + 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> history.raw("stray-1", "ch4", T0, T0.plusSeconds(1), 10).size() == 1);
    }

    @Test
    void tinyAndHugeValuesSurviveTheRoundTrip() {
        Instant t = T0.plus(5, ChronoUnit.HOURS);
        recorder.record(Reading.sample("range-1", FACE1, "ch4", 1.0E-5, t));
        recorder.record(Reading.sample("range-1", FACE1, "ch4", 1.2345678901E12, t.plusSeconds(1)));
        recorder.record(Reading.sample("range-1", FACE1, "ch4", -0.5, t.plusSeconds(2)));
        await().atMost(Duration.ofSeconds(60)).until(() -> history.raw("range-1", "ch4", t, t.plusSeconds(5), 10).size() == 3);
        assertThat(history.raw("range-1", "ch4", t, t.plusSeconds(5), 10)).extracting(HistoryQueries.Sample::value)
                .containsExactly(1.0E-5, 1.2345678901E12, -0.5);
    }
}
