package io.safegrid.node.doctor;

import io.safegrid.config.Deployment;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * The PostgreSQL servers a deployment names: the alarm store ({@code alarms.store.url}, on an
 * alerting node) and the hazard register ({@code hazards.store.url}). Each host resolves, the server
 * answers and lets the user into the database. A starting node checks the alarm store only: without
 * it the alarm path cannot start, while the hazard register answers 503 until its database is back.
 */
public final class DatabaseCheck implements Check {
    static final String ALARMS = "alarms.store.url";
    static final String HAZARDS = "hazards.store.url";
    private final boolean full;

    /** @param full also the hazard register's database ({@code safegrid doctor}); false: the alarm store only */
    public DatabaseCheck(boolean full) { this.full = full; }

    @Override
    public String titleKey() { return "check.database"; }

    @Override
    public List<Finding> run(Deployment d, Set<String> roles) {
        List<Finding> out = new ArrayList<>();
        if (roles.contains("alerting") && d.alarms().postgres()) {
            out.add(check(ALARMS, d.alarms().url(), d.alarms().user(), d.alarms().password()));
        }
        if (full && d.hazards().url() != null && d.hazards().url().startsWith("jdbc:postgresql:")) {
            out.add(check(HAZARDS, d.hazards().url(), d.hazards().user(), d.hazards().password()));
        }
        return out;
    }

    static Finding check(String key, String url, String user, String password) {
        String shown = withoutParameters(url);
        String host;
        try {
            host = URI.create(url.substring("jdbc:".length())).getHost();
        } catch (IllegalArgumentException e) {
            host = null;
        }
        if (host == null) {
            return Finding.fail(key, "database.badurl", shown);
        }
        try {
            InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return Finding.fail(key, "database.unknownhost", shown, host);
        }
        try (Connection c = connect(url, user, password)) {
            DatabaseMetaData md = c.getMetaData();
            return Finding.ok(key, "database.ok", shown, md.getDatabaseProductVersion());
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (state.startsWith("28")) {
                return Finding.fail(key, "database.refused", shown, user == null ? "" : user);
            }
            if (state.equals("3D000")) {
                return Finding.fail(key, "database.missing", shown);
            }
            return Finding.fail(key, "database.unreachable", shown);
        }
    }

    /** A connection as the doctor makes them: a server that does not answer fails it within seconds. */
    static Connection connect(String url, String user, String password) throws SQLException {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        p.setProperty("password", password == null ? "" : password);
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "10");
        return DriverManager.getConnection(url, p);
    }

    /** The URL without the parameters, which may carry credentials. */
    private static String withoutParameters(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
