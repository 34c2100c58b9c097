package io.safegrid.model.redline;

import java.time.Instant;

/** One audited step of a listing: listed, appealed, appeal-upheld, appeal-rejected, removed, handed-off. */
public record EntryEvent(String entryId, String type, EntryState from, EntryState to, String user, Instant at, String note) {
}
