package io.safegrid.config;

/**
 * {@code alarms:}, where the alarm path keeps its state (alarms, timelines, the notification outbox,
 * silences, escalation timers). Read at start.
 *
 * @param url      JDBC URL of the alarm store; null: an embedded H2 file {@code alarms} in the data dir
 * @param user     database user (PostgreSQL), may be {@code ${ENV}}
 * @param password database password, may be {@code ${ENV}}
 * @param standby  on a PostgreSQL store another alerting node may hold: wait for it to let go and take
 *                 over (the standby of an active/standby pair) instead of refusing to start
 */
public record AlarmsConfig(String url, String user, String password, boolean standby) {
    public static AlarmsConfig defaults() {
        return new AlarmsConfig(null, null, null, false);
    }

    /** The store at {@code url}, not a standby. */
    public static AlarmsConfig at(String url, String user, String password) {
        return new AlarmsConfig(url, user, password, false);
    }

    /** True when the store is a PostgreSQL server rather than the embedded file. */
    public boolean postgres() {
        return url != null && url.startsWith("jdbc:postgresql:");
    }

    @Override
    public String toString() {
        return "AlarmsConfig[" + (url == null ? "embedded" : url) + (standby ? ", standby" : "") + "]";
    }
}
