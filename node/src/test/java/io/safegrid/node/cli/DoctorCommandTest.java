package io.safegrid.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.node.TestCounty;
import io.safegrid.testing.FreePorts;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code safegrid doctor} on a deployment this host can run, and on one it cannot, through the real CLI. */
class DoctorCommandTest {

    @TempDir
    Path dir;

    @Test
    void aHealthyDeploymentHasNothingToFix() throws Exception {
        // free until the doctor, a JVM of its own, looks at it: none the kernel hands out meanwhile
        int free = FreePorts.outsideEphemeralRange();
        Path config = Files.writeString(dir.resolve("county.yaml"),
                TestCounty.yaml(dir.resolve("data")).replaceFirst("(?m)^  mqtt-port: 0$", "  mqtt-port: " + free));
        CliProcess doctor = CliProcess.run(dir, Map.of("SAFEGRID_LANG", "en"), "doctor", "-c", config.toString());

        assertThat(doctor.exitCode()).as(doctor.all()).isZero();
        assertThat(doctor.out()).contains("[ok] node.data-dir: " + dir.resolve("data") + " does not exist yet and can be created",
                "[ok] node.mqtt-port: 127.0.0.1:" + free + " is free", "acceptance.max-clock-skew", "free in");
        assertThat(doctor.out()).doesNotContain("[FAIL]");
        assertThat(doctor.err()).contains("[1/8] data directory", "[7/8] real-time priority", "[8/8] PostgreSQL");
        assertThat(dir.resolve("data")).doesNotExist();   // the doctor looks, it does not create
    }

    @Test
    void aBrokenDeploymentGetsEveryProblemWithItsKeyAndFixInChinese() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Path config = Files.writeString(dir.resolve("county.yaml"), TestCounty.yaml(file.resolve("data"))
                    .replaceFirst("(?m)^  http-port: 0$", "  http-port: " + port)
                    + "\nrecord:\n  target: influxdb\n  url: http://no-such-influxdb.invalid:8086\n"
                    + "bus:\n  kind: kafka\n  bootstrap-servers: 127.0.0.1:" + port + "\n");
            CliProcess doctor = CliProcess.run(dir, Map.of(), "doctor", "-c", config.toString(), "--lang", "zh");

            assertThat(doctor.exitCode()).as(doctor.all()).isEqualTo(1);
            String out = doctor.out();
            assertThat(out).contains("[故障] node.data-dir: 无法创建", "处理：把 node.data-dir 指向一个目录");
            assertThat(out).contains("[故障] node.http-port: 127.0.0.1:" + port + " 已被其他程序占用");
            assertThat(out).contains("[故障] record.url: http://no-such-influxdb.invalid:8086：主机 no-such-influxdb.invalid 无法解析");
            // a port that accepts connections but speaks no Kafka
            assertThat(out).contains("[故障] bus.bootstrap-servers: 127.0.0.1:" + port + " 没有任何 Kafka broker 应答");
            assertThat(out).contains("4 个问题");
            assertThat(doctor.err()).contains("[1/8] 正在检查数据目录");
            assertThat(doctor.all()).doesNotContain("\tat ", "Exception");
        }
    }

    @Test
    void theAlarmStoreAndHazardDatabasesAreCheckedOnARealPostgres() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.safegrid.testing.PostgresServer.binaries().isPresent(),
                "no PostgreSQL server in /usr/lib/postgresql (apt-get install postgresql); skipping");
        try (io.safegrid.testing.PostgresServer pg = io.safegrid.testing.PostgresServer.start()) {
            String alarms = pg.freshDatabase("alarms");
            Path config = Files.writeString(dir.resolve("county.yaml"), TestCounty.yaml(dir.resolve("data"))
                    + "\nalarms:\n  store: {url: \"" + alarms + "\", user: safegrid}\n"
                    + "hazards:\n  store: {url: \"" + pg.url("no_such_db") + "\", user: safegrid}\n");
            CliProcess doctor = CliProcess.run(dir, Map.of("SAFEGRID_LANG", "en"), "doctor", "-c", config.toString());

            assertThat(doctor.out()).as(doctor.all()).contains("[ok] alarms.store.url: PostgreSQL at " + alarms + " answers");
            assertThat(doctor.out()).contains("[FAIL] hazards.store.url: PostgreSQL answers, but the database in "
                    + pg.url("no_such_db") + " does not exist", "createdb");
            assertThat(doctor.exitCode()).isEqualTo(1);
            if (new ProcessBuilder("chrt", "--fifo", "1", "true").start().waitFor() == 0) {
                // root here: the backend that would commit the alarms may join the alarm path's real-time threads
                assertThat(doctor.out()).contains("[ok] alarms.store.url: the alarm store's PostgreSQL backend on this"
                        + " machine may run at the alarm path's priority too");
            }
        }
    }
}
