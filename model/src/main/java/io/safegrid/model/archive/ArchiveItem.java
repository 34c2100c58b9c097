package io.safegrid.model.archive;

import io.safegrid.model.grid.GridPath;
import java.time.Instant;
import java.time.LocalDate;

/**
 * One entry of an enterprise's safety archive.
 *
 * @param id      null when new
 * @param number  licence, certificate or policy number
 * @param holder  the person it belongs to (certificates, organisation), or null
 * @param issued  issue date, or the last drill of an emergency plan, or the last inspection of equipment
 * @param expires expiry, next review or next inspection: reminders are raised before it
 * @param level   e.g. an emergency plan's level or the standardisation grade
 */
public record ArchiveItem(String id, GridPath site, ArchiveKind kind, String name, String number, String holder,
                          LocalDate issued, LocalDate expires, String level, String note, String updatedBy,
                          Instant updatedAt) {
}
