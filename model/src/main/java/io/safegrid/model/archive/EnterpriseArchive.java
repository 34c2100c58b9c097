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
}
