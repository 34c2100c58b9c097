package io.safegrid.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster from Debian's server binaries ({@code /usr/lib/postgresql/N/bin}):
 * initdb in a temp dir, started on a free loopback port, removed on close. As root the server runs
 * as the {@code postgres} user (initdb refuses root).
 */
public final class PostgresServer implements AutoCloseable {
    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgres;

    private PostgresServer(Path bin, Path dir, int port, boolean asPostgres) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgres = asPostgres;
    }

    /** The newest installed server's bin dir, if any. */
    public static Optional<Path> binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.resolve("bin"))
                    .filter(p -> Files.isExecutable(p.resolve("initdb")) && Files.isExecutable(p.resolve("pg_ctl")))
                    .max(Comparator.comparing(p -> Integer.parseInt(p.getParent().getFileName().toString().replaceAll("\\D", "0"))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static PostgresServer start() throws Exception {
        return start(false);
    }

    /**
     * @param durable fsync on, as in production (for timings); off (tests) a commit costs no disk flush
     */
    public static PostgresServer start(boolean durable) throws Exception {
        Path bin = binaries().orElseThrow(() -> new IllegalStateException("no PostgreSQL server in /usr/lib/postgresql"));
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "safegrid-pg-");
        PostgresServer pg = new PostgresServer(bin, dir, FreePorts.outsideEphemeralRange(), root);
        if (root) {
            pg.run(List.of("chown", "postgres:postgres", dir.toString()), false);
        }
        pg.run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust", "-U", "safegrid",
                "-E", "UTF8", "--no-locale", "--no-sync"), true);
        // the port is free when picked, but another process (other test JVMs pick ports too) can take it
        // before the server binds it: then the server does not start, and is started on another port
        for (int attempt = 1; ; attempt++) {
            try {
                pg.run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                        dir.resolve("log").toString(), "-w", "-t", "60", "-o", "-p " + pg.port + " -k " + dir
                                + " -c listen_addresses=127.0.0.1" + (durable ? "" : " -c fsync=off"), "start"), true);
                break;
            } catch (IllegalStateException e) {
                if (attempt == 3) {
                    throw e;
                }
                System.err.println("test PostgreSQL did not start on port " + pg.port + ", trying another: " + e.getMessage());
                pg = new PostgresServer(bin, dir, FreePorts.outsideEphemeralRange(), root);
            }
        }
        try (Connection c = DriverManager.getConnection(pg.url("postgres"), "safegrid", "");
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE hazards");
        }
        return pg;
    }

    private static PostgresServer shared;
    private static final java.util.concurrent.atomic.AtomicInteger DATABASES = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * A fresh database on one server shared by the test JVM (started at the first call, stopped when
     * the JVM exits); the calling test is skipped, saying why, where no server is installed.
     */
    public static synchronized String sharedDatabase(String prefix) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(binaries().isPresent(),
                "no PostgreSQL server in /usr/lib/postgresql (apt-get install postgresql); skipping");
        if (shared == null) {
            PostgresServer s = start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    s.close();
                } catch (Exception e) {
                    System.err.println("stopping the test PostgreSQL: " + e);
                }
            }, "stop-test-postgres"));
            shared = s;
        }
        return shared.freshDatabase(prefix + "_" + DATABASES.incrementAndGet());
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A fresh, empty database for one test. */
    public String freshDatabase(String name) throws Exception {
        try (Connection c = DriverManager.getConnection(url("postgres"), "safegrid", "");
             Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name);
            st.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    private void run(List<String> command, boolean asServerUser) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (asServerUser && asPostgres) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"), true);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
