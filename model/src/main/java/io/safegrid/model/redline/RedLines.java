package io.safegrid.model.redline;

import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.Actor;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The red-line register (红线管理): violations of workers and enterprises, the rules that make an
 * enterprise a candidate, and the list with its listing, appeal, removal (信用修复) and 除名 hand-off.
 * Who may do what depends on the actor's level: a township lists in its township, only the listing
 * level or one above removes, only the county hands off for 除名, only the enterprise appeals.
 *
 * <p>Errors as the hazard register's ({@link io.safegrid.model.hazard.HazardRefused}); every step is
 * audited in the same transaction.
 */
public interface RedLines {

    Violation record(Actor actor, NewViolation violation);

    /** Violations at or below {@code subtree} since {@code since} (null: all), newest first. */
    List<Violation> violations(GridPath subtree, Instant since);

    List<RedLineRule> rules();

    /** Adds or replaces a rule; county level only. */
    RedLineRule saveRule(Actor actor, RedLineRule rule);

    /** Enterprises in {@code subtree} that meet an active rule now and have no open listing. */
    List<Candidate> candidates(GridPath subtree);

    RedLineEntry list(Actor actor, GridPath site, String ruleId, String reason, List<String> violationIds);

    RedLineEntry appeal(Actor actor, String entryId, String note);

    RedLineEntry decideAppeal(Actor actor, String entryId, boolean upheld, String note);

    /** 信用修复: the listing ends. */
    RedLineEntry remove(Actor actor, String entryId, String note);

    /** Records that the case went to {@code authority} (e.g. the market regulator) for 商事主体除名. */
    RedLineEntry handOff(Actor actor, String entryId, String authority, String reference, String note);

    Optional<RedLineEntry> entry(String id);

    /** Listings of enterprises in {@code subtree}; open ones only unless {@code all}. */
    List<RedLineEntry> entries(GridPath subtree, boolean all);

    List<EntryEvent> history(String entryId);

    Instant now();
}
