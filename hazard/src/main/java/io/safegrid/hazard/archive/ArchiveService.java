package io.safegrid.hazard.archive;

import io.safegrid.config.ConfigSource;
import io.safegrid.hazard.deadline.NoticeLadder;
import io.safegrid.hazard.deadline.ScanPass;
import io.safegrid.hazard.store.HazardDatabase;
import io.safegrid.hazard.store.HazardRows;
import io.safegrid.model.archive.ArchiveDocument;
import io.safegrid.model.archive.ArchiveItem;
import io.safegrid.model.archive.ArchiveKind;
import io.safegrid.model.archive.EnterpriseArchive;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.Actor;
import io.safegrid.model.hazard.HazardRefused;
import io.safegrid.model.hazard.HazardRefused.Kind;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety archive (一企一档) on the register's database: entries with their expiry, every change
 * audited in the same transaction, and reminders before an expiry to the enterprise and its township
 * through the register's notice book (one per entry and expiry date, so a renewal is reminded again).
 */
public final class ArchiveService implements EnterpriseArchive {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveService.class);
    /** How long before an expiry (licence, certificate, inspection, plan review, policy) the reminders go out. */
    public static final Duration WARN_BEFORE = Duration.ofDays(30);
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final String COLUMNS = "id, site, kind, name, number, holder, issued, expires, level, note, updated_by, updated_ms";

    private final ConfigSource config;
    private final HazardDatabase db;
    private final Clock clock;
    private final Object writes;
    private final ArchiveDocuments documents;

    /** {@code writes}: the register's write lock, so archive and register writes never interleave. */
    public ArchiveService(ConfigSource config, HazardDatabase db, Clock clock, Object writes) {
        this.config = config;
        this.db = db;
        this.clock = clock;
        this.writes = writes;
        this.documents = new ArchiveDocuments(this, db, clock, writes);
    }

    @Override
    public List<ArchiveItem> dossier(GridPath site) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM archive_item WHERE site=? ORDER BY kind, name, id")) {
                ps.setString(1, site.toString());
                List<ArchiveItem> out = rows(ps);
                out.sort(java.util.Comparator.comparing(ArchiveItem::kind).thenComparing(ArchiveItem::name));
                return out;
            }
        });
    }

    @Override
    public Optional<ArchiveItem> item(String id) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM archive_item WHERE id=?")) {
                ps.setString(1, id);
                return rows(ps).stream().findFirst();
            }
        });
    }

    @Override
    public List<ArchiveItem> expiring(GridPath subtree, LocalDate by) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM archive_item WHERE expires <= ? "
                    + "AND (site = ? OR site LIKE ?) ORDER BY expires, id LIMIT 2000")) {
                ps.setDate(1, Date.valueOf(by));
                ps.setString(2, subtree.toString());
                ps.setString(3, subtree.toString().replace("_", "\\_") + "/%");
                return rows(ps);
            }
        });
    }

    @Override
    public ArchiveItem put(Actor actor, ArchiveItem in) {
        if (in.site() == null || in.kind() == null) {
            throw new HazardRefused(Kind.INVALID, "archiveNameRequired", "site and kind are required");
        }
        if (in.name() == null || in.name().isBlank()) {
            throw new HazardRefused(Kind.INVALID, "archiveNameRequired", "a name is required");
        }
        if (in.issued() != null && in.expires() != null && in.expires().isBefore(in.issued())) {
            throw new HazardRefused(Kind.INVALID, "archiveDates", "expires " + in.expires() + " is before issued " + in.issued());
        }
        if (!in.site().isWithin(actor.scope())) {
            throw new HazardRefused(Kind.FORBIDDEN, "hazardNotYours", "not in your scope: " + in.site());
        }
        Instant now = clock.instant();
        return write(c -> {
            String id = in.id();
            String action = "update";
            if (id == null) {
                id = "ar-" + UUID.randomUUID().toString().substring(0, 18);
                action = "create";
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO archive_item (" + COLUMNS
                        + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
                    bind(ps, id, in, actor.user(), now);
                    ps.executeUpdate();
                }
            } else {
                ArchiveItem old = itemIn(c, id).orElseThrow(() -> new NoSuchElementException("no such archive entry: " + in.id()));
                if (!old.site().equals(in.site())) {
                    throw new HazardRefused(Kind.INVALID, "archiveNameRequired", "an entry stays with its enterprise");
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE archive_item SET id=?, site=?, kind=?, name=?, number=?, "
                        + "holder=?, issued=?, expires=?, level=?, note=?, updated_by=?, updated_ms=? WHERE id=?")) {
                    bind(ps, id, in, actor.user(), now);
                    ps.setString(13, id);
                    ps.executeUpdate();
                }
            }
            // a new expiry is to be reminded of; the one already reminded of stays done
            try (PreparedStatement ps = c.prepareStatement("UPDATE archive_item SET remind_on = CASE WHEN reminded_for = expires "
                    + "THEN NULL ELSE expires END WHERE id=?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            ArchiveItem saved = new ArchiveItem(id, in.site(), in.kind(), in.name().strip(), in.number(), in.holder(), in.issued(),
                    in.expires(), in.level(), in.note(), actor.user(), now);
            event(c, saved, action, actor.user(), now);
            return saved;
        });
    }

    @Override
    public void remove(Actor actor, String id) {
        Instant now = clock.instant();
        write(c -> {
            ArchiveItem old = itemIn(c, id).orElseThrow(() -> new NoSuchElementException("no such archive entry: " + id));
            if (!old.site().isWithin(actor.scope())) {
                throw new NoSuchElementException("no such archive entry: " + id);
            }
            for (String table : new String[] {"archive_document WHERE item_id=?", "archive_item WHERE id=?"}) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table)) {
                    ps.setString(1, id);
                    ps.executeUpdate();
                }
            }
            event(c, old, "remove", actor.user(), now);
            return null;
        });
    }

    @Override
    public ArchiveDocument attach(Actor actor, String itemId, String name, byte[] data) {
        return documents.attach(actor, itemId, name, data);
    }

    @Override
    public List<ArchiveDocument> documents(GridPath site) {
        return documents.of(site);
    }

    @Override
    public Optional<byte[]> documentData(String itemId, String documentId) {
        return documents.data(itemId, documentId);
    }

    @Override
    public List<String> history(String id) {
        return read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT at_ms, user_name, action, content FROM archive_event WHERE item_id=? ORDER BY seq")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Instant.ofEpochMilli(rs.getLong(1)) + " " + rs.getString(2) + " " + rs.getString(3) + ": " + rs.getString(4));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Reminds of up to {@code max} entries expiring within {@link #WARN_BEFORE} (or already expired)
     * that have not been reminded for this expiry: the enterprise's roster and its township's, stored
     * in one transaction with the entries marked reminded. The chunk is full when there may be more.
     */
    public ScanPass.Chunk remindChunk(int max) {
        LocalDate today = clock.instant().atZone(CHINA).toLocalDate();
        LocalDate by = today.plusDays(WARN_BEFORE.toDays());
        return write(c -> {
            List<ArchiveItem> due = new ArrayList<>();
            // the lower bound starts H2's index range after the entries with nothing to remind (nulls sort first)
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM archive_item WHERE remind_on >= ? "
                    + "AND remind_on <= ? ORDER BY remind_on LIMIT ?")) {
                ps.setDate(1, Date.valueOf(LocalDate.of(1900, 1, 1)));
                ps.setDate(2, Date.valueOf(by));
                ps.setInt(3, max);
                due.addAll(rows(ps));
            }
            Instant now = clock.instant();
            List<HazardRows.Notice> notices = new ArrayList<>();
            for (ArchiveItem a : due) {
                String name = config.current().grid().node(a.site()).map(GridNode::name).orElse(a.site().id());
                boolean expired = a.expires().isBefore(today);
                String zh = name + " " + a.kind().labelZh() + "「" + a.name() + "」" + (a.holder() == null ? "" : "（" + a.holder() + "）")
                        + (expired ? " 已于 " : " 将于 ") + a.expires() + " 到期";
                String en = name + " " + a.kind().id() + " '" + a.name() + "' " + (expired ? "expired on " : "expires on ") + a.expires();
                GridPath township = NoticeLadder.township(config.current().grid(), a.site());
                List<GridPath> to = new ArrayList<>(List.of(a.site()));
                if (township != null) {
                    to.add(township);
                }
                for (GridPath node : to) {
                    notices.add(new HazardRows.Notice(a.id(), "expiry-" + a.expires() + "@" + node, node,
                            List.of(), "【证照到期提醒】" + name, "Archive expiry reminder", zh, en, now));
                }
            }
            int created = HazardRows.insertNotices(c, notices).size();
            try (PreparedStatement ps = c.prepareStatement("UPDATE archive_item SET reminded_for = expires, remind_on = NULL WHERE id=?")) {
                for (ArchiveItem a : due) {
                    ps.setString(1, a.id());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            if (created > 0) {
                LOG.info("archive: {} expiry reminder(s) created", created);
            }
            return new ScanPass.Chunk(created, due.size(), due.size() == max);
        });
    }

    Optional<ArchiveItem> itemIn(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM archive_item WHERE id=? FOR UPDATE")) {
            ps.setString(1, id);
            return rows(ps).stream().findFirst();
        }
    }

    static void event(Connection c, ArchiveItem a, String action, String user, Instant now) throws SQLException {
        event(c, a, action, user, now, a.kind().id() + " " + a.name() + (a.number() == null ? "" : " #" + a.number())
                + (a.holder() == null ? "" : " " + a.holder()) + (a.expires() == null ? "" : " expires " + a.expires()));
    }

    static void event(Connection c, ArchiveItem a, String action, String user, Instant now, String content) throws SQLException {
        int seq;
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) + 1 FROM archive_event WHERE item_id=?")) {
            ps.setString(1, a.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                seq = rs.getInt(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO archive_event (item_id, seq, site, action, user_name, at_ms, "
                + "content) VALUES (?,?,?,?,?,?,?)")) {
            ps.setString(1, a.id());
            ps.setInt(2, seq);
            ps.setString(3, a.site().toString());
            ps.setString(4, action);
            ps.setString(5, user);
            ps.setLong(6, now.toEpochMilli());
            ps.setString(7, content.length() > 8000 ? content.substring(0, 8000) : content);
            ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, String id, ArchiveItem a, String user, Instant now) throws SQLException {
        ps.setString(1, id);
        ps.setString(2, a.site().toString());
        ps.setString(3, a.kind().name());
        ps.setString(4, a.name().strip());
        ps.setString(5, a.number());
        ps.setString(6, a.holder());
        ps.setDate(7, a.issued() == null ? null : Date.valueOf(a.issued()));
        ps.setDate(8, a.expires() == null ? null : Date.valueOf(a.expires()));
        ps.setString(9, a.level());
        ps.setString(10, a.note());
        ps.setString(11, user);
        ps.setLong(12, now.toEpochMilli());
    }

    private static List<ArchiveItem> rows(PreparedStatement ps) throws SQLException {
        List<ArchiveItem> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Date issued = rs.getDate(7);
                Date expires = rs.getDate(8);
                out.add(new ArchiveItem(rs.getString(1), GridPath.parse(rs.getString(2)), ArchiveKind.valueOf(rs.getString(3)),
                        rs.getString(4), rs.getString(5), rs.getString(6), issued == null ? null : issued.toLocalDate(),
                        expires == null ? null : expires.toLocalDate(), rs.getString(9), rs.getString(10), rs.getString(11),
                        Instant.ofEpochMilli(rs.getLong(12))));
            }
        }
        return out;
    }

    private <T> T read(HazardDatabase.Work<T> w) {
        return db.read("archive store", w);
    }

    private <T> T write(HazardDatabase.Work<T> w) {
        return db.write("archive store", writes, w);
    }
}
