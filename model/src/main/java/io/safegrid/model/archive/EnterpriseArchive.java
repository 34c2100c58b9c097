package io.safegrid.model.archive;

import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.Actor;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The safety archive, one dossier per enterprise (一企一档), as the console uses it. Errors as in
 * {@link io.safegrid.model.hazard.HazardRegister}: {@link io.safegrid.model.hazard.HazardRefused}
 * for bad input, {@link java.util.NoSuchElementException} for an unknown entry.
 */
public interface EnterpriseArchive {
    /** The largest scanned document accepted: a licence or a plan of a few dozen pages at 200 dpi fits. */
    int DOCUMENT_MAX_BYTES = 10 << 20;

    /** Every entry of one site, in the order of {@link ArchiveKind}, then by name. */
    List<ArchiveItem> dossier(GridPath site);

    Optional<ArchiveItem> item(String id);

    /** Adds ({@code id} null) or replaces an entry; audited. */
    ArchiveItem put(Actor actor, ArchiveItem item);

    void remove(Actor actor, String id);

    /** Who changed an entry and how, oldest first, one line each ({@code at user action: what}). */
    List<String> history(String id);

    /** Entries within {@code subtree} expiring on or before {@code by}, soonest first. */
    List<ArchiveItem> expiring(GridPath subtree, LocalDate by);

    /**
     * Attaches a scanned document (PDF, JPEG or PNG, checked from its bytes, within the size limit) to
     * an entry the actor's scope covers; audited on the entry.
     */
    default ArchiveDocument attach(Actor actor, String itemId, String name, byte[] data) {
        throw new UnsupportedOperationException("this archive keeps no documents");
    }

    /** The documents of every entry of one site, oldest first. */
    default List<ArchiveDocument> documents(GridPath site) {
        return List.of();
    }

    /** A document's bytes, when it belongs to that entry. */
    default Optional<byte[]> documentData(String itemId, String documentId) {
        return Optional.empty();
    }
}
