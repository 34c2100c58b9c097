package io.safegrid.hazard.archive;

import io.safegrid.hazard.photo.ImageType;
import io.safegrid.hazard.store.HazardDatabase;
import io.safegrid.model.archive.ArchiveDocument;
import io.safegrid.model.archive.ArchiveItem;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.Actor;
import io.safegrid.model.hazard.HazardRefused;
import io.safegrid.model.hazard.HazardRefused.Kind;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

/**
 * Scanned documents of dossier entries, kept in the register's database beside their entry: PDF,
 * JPEG or PNG as read from the first bytes (a name or a declared type proves nothing), at most
 * {@link #MAX_BYTES} each and {@link #PER_ITEM} per entry, attached only within the actor's scope.
 */
final class ArchiveDocuments {
    static final int MAX_BYTES = io.safegrid.model.archive.EnterpriseArchive.DOCUMENT_MAX_BYTES;
    static final int PER_ITEM = 20;
    private static final byte[] PDF = {'%', 'P', 'D', 'F', '-'};

    private final ArchiveService archive;
    private final HazardDatabase db;
    private final Clock clock;
    private final Object writes;

    ArchiveDocuments(ArchiveService archive, HazardDatabase db, Clock clock, Object writes) {
        this.archive = archive;
        this.db = db;
        this.clock = clock;
        this.writes = writes;
    }

    /** The content type the bytes show, or empty when they are none of the accepted kinds. */
    static Optional<String> typeOf(byte[] b) {
        if (b != null && b.length >= PDF.length && java.util.Arrays.equals(b, 0, PDF.length, PDF, 0, PDF.length)) {
            return Optional.of("application/pdf");
        }
        return ImageType.of(b).filter(t -> t != ImageType.WEBP).map(ImageType::contentType);
    }

    ArchiveDocument attach(Actor actor, String itemId, String name, byte[] data) {
        if (data == null || data.length == 0) {
            throw new HazardRefused(Kind.INVALID, "archiveDocumentType", "an empty document");
        }
        if (data.length > MAX_BYTES) {
            throw new HazardRefused(Kind.INVALID, "archiveDocumentTooLarge", "a document of " + data.length
                    + " bytes; at most " + MAX_BYTES + " are accepted");
        }
        String type = typeOf(data).orElseThrow(() -> new HazardRefused(Kind.INVALID, "archiveDocumentType",
                "not a PDF, JPEG or PNG document"));
        String shown = name == null || name.isBlank() ? "document" : name.strip();
        String label = shown.length() > 300 ? shown.substring(0, 300) : shown;
        Instant now = clock.instant();
        return db.write("archive store", writes, c -> {
            ArchiveItem item = archive.itemIn(c, itemId).filter(i -> i.site().isWithin(actor.scope()))
                    .orElseThrow(() -> new NoSuchElementException("no such archive entry: " + itemId));
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM archive_document WHERE item_id=?")) {
                ps.setString(1, itemId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) >= PER_ITEM) {
                        throw new HazardRefused(Kind.INVALID, "archiveDocumentCount", "at most " + PER_ITEM
                                + " documents per entry");
                    }
                }
            }
            ArchiveDocument d = new ArchiveDocument("doc-" + UUID.randomUUID().toString().substring(0, 18), itemId, label, type,
                    data.length, actor.user(), now);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO archive_document (id, item_id, site, name, content_type, "
                    + "bytes, user_name, at_ms, data) VALUES (?,?,?,?,?,?,?,?,?)")) {
                ps.setString(1, d.id());
                ps.setString(2, itemId);
                ps.setString(3, item.site().toString());
                ps.setString(4, label);
                ps.setString(5, type);
                ps.setInt(6, data.length);
                ps.setString(7, actor.user());
                ps.setLong(8, now.toEpochMilli());
                ps.setBytes(9, data);
                ps.executeUpdate();
            }
            ArchiveService.event(c, item, "attach", actor.user(), now, label + " (" + type + ", " + data.length + " B)");
            return d;
        });
    }

    List<ArchiveDocument> of(GridPath site) {
        return db.read("archive store", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, item_id, name, content_type, bytes, user_name, at_ms "
                    + "FROM archive_document WHERE site=? ORDER BY at_ms, id")) {
                ps.setString(1, site.toString());
                List<ArchiveDocument> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ArchiveDocument(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getInt(5), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7))));
                    }
                }
                return out;
            }
        });
    }

    Optional<byte[]> data(String itemId, String documentId) {
        return db.read("archive store", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT data FROM archive_document WHERE id=? AND item_id=?")) {
                ps.setString(1, documentId);
                ps.setString(2, itemId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
    }
}
