package io.safegrid.assessment.accident;

import io.safegrid.model.assessment.Accident;
import io.safegrid.model.assessment.AccidentSeverity;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.Actor;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accident register behind the veto (一票否决): an embedded H2 file by default, PostgreSQL in
 * production, its schema kept by Flyway in its own history table (so it can share a database with
 * the hazard register). Accidents are rare: each call opens its own connection.
 */
public final class AccidentBook {
    private static final Logger LOG = LoggerFactory.getLogger(AccidentBook.class);
    static final int MAX_DESCRIPTION = 8000;

    private final String url;
    private final String user;
    private final String password;
    private final Clock clock;

    private AccidentBook(String url, String user, String password, Clock clock) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.clock = clock;
    }

    public static String embeddedUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("assessment")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }

    /** Opens the book at {@code url}, creating or migrating its tables. */
    public static AccidentBook open(String url, String user, String password, Clock clock) {
        String u = user == null ? (url.startsWith("jdbc:h2:") ? "sa" : null) : user;
        String p = password == null ? "" : password;
        int applied = Flyway.configure(AccidentBook.class.getClassLoader())
                .dataSource(url, u, p)
                .locations("classpath:io/safegrid/assessment/db")
                .table("assessment_schema_history")
                .load().migrate().migrationsExecuted;
        int q = url.indexOf('?');
        LOG.info("accident register {}: {} migration(s) applied", q < 0 ? url : url.substring(0, q), applied);
        return new AccidentBook(url, u, p, clock);
    }

    public Accident record(Actor actor, GridPath site, AccidentSeverity severity, int deaths, Instant occurredAt,
                           String description) {
        if (site == null || severity == null || occurredAt == null) {
            throw new IllegalArgumentException("an accident needs its site, severity and time");
        }
        if (description == null || description.isBlank() || description.length() > MAX_DESCRIPTION) {
            throw new IllegalArgumentException("an accident needs a description of at most " + MAX_DESCRIPTION + " characters");
        }
        if (deaths < 0 || (severity == AccidentSeverity.FATAL) != (deaths > 0)) {
            throw new IllegalArgumentException("a fatal accident has deaths, any other none");
        }
        Instant now = clock.instant();
        if (occurredAt.isAfter(now)) {
            throw new IllegalArgumentException("an accident cannot lie in the future");
        }
        Accident a = new Accident(UUID.randomUUID().toString(), site, severity, deaths, occurredAt, description.strip(),
                actor.user(), now);
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO accident (id, site, severity, deaths, occurred_ms,"
                    + " description, recorded_by, recorded_ms) VALUES (?,?,?,?,?,?,?,?)")) {
                p.setString(1, a.id());
                p.setString(2, site.toString());
                p.setString(3, severity.name());
                p.setInt(4, deaths);
                p.setLong(5, occurredAt.toEpochMilli());
                p.setString(6, a.description());
                p.setString(7, a.recordedBy());
                p.setLong(8, now.toEpochMilli());
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO accident_event (accident_id, seq, action, user_name,"
                    + " at_ms, content) VALUES (?,1,'RECORDED',?,?,?)")) {
                p.setString(1, a.id());
                p.setString(2, actor.user());
                p.setLong(3, now.toEpochMilli());
                p.setString(4, severity.name().toLowerCase(Locale.ROOT) + ", " + deaths + " dead, at " + occurredAt
                        + " in " + site + ": " + a.description());
                p.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("accident register: " + e.getMessage(), e);
        }
        LOG.warn("{} recorded a {} accident at {} ({} dead)", actor.user(), severity, site, deaths);
        return a;
    }

    /** Accidents within {@code subtree} (null: all) in {@code [from, to)}, newest first. */
    public List<Accident> within(GridPath subtree, Instant from, Instant to) {
        List<Accident> out = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement("SELECT id, site, severity, deaths,"
                + " occurred_ms, description, recorded_by, recorded_ms FROM accident WHERE occurred_ms >= ? AND occurred_ms < ?"
                + " ORDER BY occurred_ms DESC")) {
            p.setLong(1, from.toEpochMilli());
            p.setLong(2, to.toEpochMilli());
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    GridPath site = GridPath.parse(r.getString(2));
                    if (subtree == null || site.isWithin(subtree)) {
                        out.add(new Accident(r.getString(1), site, AccidentSeverity.valueOf(r.getString(3)), r.getInt(4),
                                Instant.ofEpochMilli(r.getLong(5)), r.getString(6), r.getString(7),
                                Instant.ofEpochMilli(r.getLong(8))));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("accident register: " + e.getMessage(), e);
        }
        return out;
    }

    public List<String> history(String id) {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement(
                "SELECT at_ms, user_name, action, content FROM accident_event WHERE accident_id = ? ORDER BY seq")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(Instant.ofEpochMilli(r.getLong(1)) + " " + r.getString(2) + " " + r.getString(3).toLowerCase(Locale.ROOT)
                            + ": " + r.getString(4));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("accident register: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new NoSuchElementException("no such accident: " + id);
        }
        return out;
    }

    /** A connection to the book's database, where the schedule keeps its table beside the accidents. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }
}
