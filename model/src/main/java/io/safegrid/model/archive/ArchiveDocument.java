package io.safegrid.model.archive;

import java.time.Instant;

/**
 * A scanned document attached to a dossier entry (the licence itself, a certificate, an emergency
 * plan): its type is read from its bytes, never from the name it was sent with.
 *
 * @param name        the file name the sender gave, for display only
 * @param contentType {@code application/pdf}, {@code image/jpeg} or {@code image/png}
 */
public record ArchiveDocument(String id, String itemId, String name, String contentType, long bytes, String uploadedBy,
                              Instant at) {
}
