package io.safegrid.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The quarter's ledger scan as {@code LedgerFacts} made it before ledger V4 (two correlated look-ups in
 * {@code alarm_event} per alarm) and as it makes it now (the alarm row's own columns), on one ledger
 * file that {@code ReportBench seed} wrote, twice each: the timings and that both read the same facts.
 * {@code java ... io.safegrid.bench.LedgerQueries DIR}
 */
public final class LedgerQueries {
    private static final String BEFORE = "SELECT a.id, a.site, a.source_id, a.kind, a.peak_level, a.raised_at,"
            + " (SELECT MIN(e.time) FROM alarm_event e WHERE e.alarm_id = a.id AND e.type = 'ACKNOWLEDGED'),"
            + " (SELECT COUNT(*) FROM alarm_event e WHERE e.alarm_id = a.id AND e.type = 'ESCALATED'"
            + " AND e.note LIKE '%escalated to county %')"
            + " FROM alarm a WHERE a.raised_at >= ? AND a.raised_at < ? AND a.site IS NOT NULL";
    private static final String V4 = "SELECT a.id, a.site, a.source_id, a.kind, a.peak_level, a.raised_at, a.first_ack_at,"
            + " a.reached_county FROM alarm a WHERE a.raised_at >= ? AND a.raised_at < ? AND a.site IS NOT NULL";

    private LedgerQueries() {
    }

    public static void main(String[] args) throws Exception {
        String url = "jdbc:h2:file:" + args[0] + "/alarms";
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        long from = LocalDate.of(2026, 10, 1).atStartOfDay(zone).toInstant().toEpochMilli();
        long to = LocalDate.of(2027, 1, 1).atStartOfDay(zone).toInstant().toEpochMilli();
        for (int run = 1; run <= 2; run++) {
            for (String[] q : new String[][] {{"sub-queries (before V4)", BEFORE}, {"columns (V4)", V4}}) {
                long t0 = System.nanoTime();
                long n = 0;
                long acked = 0;
                long county = 0;
                try (Connection c = DriverManager.getConnection(url, "sa", "")) {
                    c.setReadOnly(true);
                    c.setAutoCommit(false);
                    try (PreparedStatement p = c.prepareStatement(q[1])) {
                        p.setLong(1, from);
                        p.setLong(2, to);
                        p.setFetchSize(2000);
                        try (ResultSet r = p.executeQuery()) {
                            while (r.next()) {
                                n++;
                                r.getLong(7);
                                if (!r.wasNull()) {
                                    acked++;
                                }
                                if (r.getLong(8) > 0) {
                                    county++;
                                }
                            }
                        }
                    }
                }
                System.out.printf("run %d, %s: %,d alarms (%,d acknowledged, %,d reached the county) in %.2f s%n", run, q[0],
                        n, acked, county, (System.nanoTime() - t0) / 1e9);
            }
        }
    }
}
