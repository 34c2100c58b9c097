package io.safegrid.supervision.redline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.Actor;
import io.safegrid.model.redline.Candidate;
import io.safegrid.model.redline.EntryEvent;
import io.safegrid.model.redline.EntryState;
import io.safegrid.model.redline.NewViolation;
import io.safegrid.model.redline.RedLineEntry;
import io.safegrid.model.redline.RedLineRule;
import io.safegrid.model.redline.RedLines;
import io.safegrid.model.redline.Violation;
import io.safegrid.model.redline.ViolationSource;
import io.safegrid.model.redline.Severity;
import io.safegrid.supervision.plan.Reach;
import io.safegrid.supervision.plan.Refuse;
import io.safegrid.supervision.store.RedLineRows;
import io.safegrid.supervision.store.SupervisionDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The red-line register on the supervision database. Who may do what is decided here from the
 * actor's level ({@link Levels}); each step and its audit line are one transaction.
 */
public final class RedLineService implements RedLines {
    private static final Logger LOG = LoggerFactory.getLogger(RedLineService.class);
    private static final int TEXT_CHARS = 4000;
    /** Who recorded a violation the platform found itself. */
    public static final String SYSTEM = "system";

    private final SupervisionDatabase db;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Reach reach;
    private final Object writes = new Object();

    public RedLineService(ConfigSource config, SupervisionDatabase db, Clock clock, MeterRegistry registry) {
        this.db = db;
        this.clock = clock;
        this.registry = registry;
        this.reach = new Reach(config);
    }

    @Override
    public Instant now() { return clock.instant(); }

    @Override
    public Violation record(Actor a, NewViolation n) {
        if (!a.supervisor()) {
            throw Refuse.forbidden("rlNotSupervisor", "only township, department and county users record violations");
        }
        if (n.site() == null || reach.enterprise(n.site()) == null) {
            throw Refuse.invalid("svTargetUnknown", "no enterprise " + n.site() + " in the grid");
        }
        if (!reach.reaches(a, n.site())) {
            throw Refuse.forbidden("svTargetOutOfScope", n.site() + " is outside your reach");
        }
        if (n.severity() == null || n.source() == null) {
            throw Refuse.invalid("rlSeverity", "severity (general, serious) and source are required");
        }
        Instant now = clock.instant();
        if (n.at() != null && n.at().isAfter(now.plusSeconds(60))) {
            throw Refuse.invalid("rlInFuture", "a violation cannot have happened in the future");
        }
        Violation v = new Violation(id("vio"), n.site(), Refuse.text(n.worker(), 200, "worker"), n.source(),
                Refuse.text(n.sourceRef(), 200, "sourceRef"), n.severity(),
                Refuse.required(n.description(), TEXT_CHARS, "description", "rlDescriptionRequired"),
                n.at() == null ? now : n.at(), a.user(), now);
        write(c -> {
            RedLineRows.insertViolation(c, v);
            return null;
        });
        count("violation");
        LOG.info("{} recorded a {} violation {} at {} ({} {})", a.user(), v.severity().id(), v.id(), v.site(),
                v.source().id(), v.sourceRef() == null ? "" : v.sourceRef());
        return v;
    }

    /**
     * A violation the platform found itself (an alarm such as a power-off override), recorded by
     * {@value #SYSTEM} at the enterprise the alarm's site belongs to, once per source: empty when this
     * one was recorded before or its site is no enterprise's.
     */
    public Optional<Violation> recordFound(GridPath site, ViolationSource source, String sourceRef, Severity severity,
                                           String description, Instant at) {
        GridPath enterprise = site;
        while (enterprise != null && reach.enterprise(enterprise) == null) {
            enterprise = enterprise.parent();
        }
        if (enterprise == null) {
            LOG.warn("{} {} at {}: no enterprise there, no violation recorded", source.id(), sourceRef, site);
            return Optional.empty();
        }
        Instant now = clock.instant();
        Violation v = new Violation(id("vio"), enterprise, null, source, sourceRef, severity,
                description.length() > TEXT_CHARS ? description.substring(0, TEXT_CHARS) : description, at, SYSTEM, now);
        boolean recorded = write(c -> {
            if (RedLineRows.hasSource(c, source, sourceRef)) {
                return false;
            }
            RedLineRows.insertViolation(c, v);
            return true;
        });
        if (!recorded) {
            return Optional.empty();
        }
        count("violation-found");
        LOG.info("recorded a {} violation {} at {} from {} {}", severity.id(), v.id(), enterprise, source.id(), sourceRef);
        return Optional.of(v);
    }

    @Override
    public List<Violation> violations(GridPath subtree, Instant since) {
        return db.inTransaction(c -> RedLineRows.violations(c, subtree, since == null ? Long.MIN_VALUE : since.toEpochMilli()));
    }

    @Override
    public List<RedLineRule> rules() {
        return db.inTransaction(RedLineRows::rules);
    }

    @Override
    public RedLineRule saveRule(Actor a, RedLineRule r) {
        if (!Levels.county(a)) {
            throw Refuse.forbidden("rlCountyOnly", "only the county sets red-line rules");
        }
        if (r.id() == null || !r.id().matches("[a-z0-9][a-z0-9-]{0,39}")) {
            throw Refuse.invalid("rlRuleId", "a rule id is lower-case letters, digits and dashes");
        }
        if (r.severity() == null || r.count() < 1 || r.count() > 100 || r.windowDays() < 1 || r.windowDays() > 3660) {
            throw Refuse.invalid("rlRuleBounds", "a rule counts 1-100 violations of a severity within 1-3660 days");
        }
        RedLineRule saved = new RedLineRule(r.id(), Refuse.required(r.name(), 200, "name", "rlRuleName"), r.severity(),
                r.source(), r.count(), r.windowDays(), r.active());
        write(c -> {
            RedLineRows.saveRule(c, saved);
            return null;
        });
        LOG.info("{} set red-line rule {}: {} x {} within {} days{}", a.user(), saved.id(), saved.count(),
                saved.severity().id(), saved.windowDays(), saved.active() ? "" : " (inactive)");
        return saved;
    }

    @Override
    public List<Candidate> candidates(GridPath subtree) {
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            // listed or handed off: not a candidate; after 信用修复 only what happened since counts
            Set<GridPath> listed = new HashSet<>();
            Map<GridPath, Instant> repaired = new HashMap<>();
            for (RedLineEntry e : RedLineRows.entries(c, subtree)) {
                if (e.state() == EntryState.REMOVED) {
                    repaired.merge(e.site(), e.updatedAt(), (x, y) -> x.isAfter(y) ? x : y);
                } else {
                    listed.add(e.site());
                }
            }
            List<Candidate> out = new ArrayList<>();
            for (RedLineRule r : RedLineRows.rules(c)) {
                if (!r.active()) {
                    continue;
                }
                Map<GridPath, List<String>> by = new LinkedHashMap<>();
                for (Violation v : RedLineRows.violations(c, subtree, now.minus(Duration.ofDays(r.windowDays())).toEpochMilli())) {
                    Instant since = repaired.get(v.site());
                    if (v.severity().compareTo(r.severity()) >= 0 && (r.source() == null || r.source() == v.source())
                            && (since == null || v.recordedAt().isAfter(since))) {
                        by.computeIfAbsent(v.site(), k -> new ArrayList<>()).add(v.id());
                    }
                }
                by.forEach((site, ids) -> {
                    if (ids.size() >= r.count() && !listed.contains(site)) {
                        out.add(new Candidate(site, r.id(), ids));
                    }
                });
            }
            return out;
        });
    }

    @Override
    public RedLineEntry list(Actor a, GridPath site, String ruleId, String reason, List<String> violationIds) {
        if (!a.supervisor()) {
            throw Refuse.forbidden("rlNotSupervisor", "only township, department and county users list enterprises");
        }
        if (site == null || reach.enterprise(site) == null) {
            throw Refuse.invalid("svTargetUnknown", "no enterprise " + site + " in the grid");
        }
        if (!reach.reaches(a, site)) {
            throw Refuse.forbidden("svTargetOutOfScope", site + " is outside your reach: a unit lists only its own enterprises");
        }
        String why = Refuse.required(reason, TEXT_CHARS, "reason", "rlReasonRequired");
        List<String> ids = violationIds == null ? List.of() : List.copyOf(new java.util.LinkedHashSet<>(violationIds));
        Instant now = clock.instant();
        RedLineEntry e = new RedLineEntry(id("rl"), site, a.scope(), ruleId, why, ids, EntryState.LISTED, a.user(), now, now,
                null, null);
        write(c -> {
            if (ruleId != null && RedLineRows.rules(c).stream().noneMatch(r -> r.id().equals(ruleId))) {
                throw Refuse.invalid("rlRuleUnknown", "no red-line rule " + ruleId);
            }
            Set<String> known = new HashSet<>();
            RedLineRows.violations(c, site, Long.MIN_VALUE).forEach(v -> known.add(v.id()));
            for (String id : ids) {
                if (!known.contains(id)) {
                    throw Refuse.invalid("rlViolationUnknown", "violation " + id + " is not one of " + site);
                }
            }
            if (RedLineRows.entries(c, site).stream().anyMatch(x -> x.site().equals(site) && x.state().open())) {
                throw Refuse.conflict("rlAlreadyListed", site + " is already under red-line management");
            }
            RedLineRows.insertEntry(c, e);
            RedLineRows.event(c, new EntryEvent(e.id(), "listed", null, EntryState.LISTED, a.user(), now, why));
            return null;
        });
        count("listed");
        LOG.info("{} ({}) put {} on the red line ({})", a.user(), a.scope(), site, e.id());
        return e;
    }

    @Override
    public RedLineEntry appeal(Actor a, String id, String note) {
        String why = Refuse.required(note, TEXT_CHARS, "note", "rlReasonRequired");
        return step(a, id, EntryState.LISTED, EntryState.APPEALED, "appealed", why, null, null, e -> {
            if (a.supervisor() || !e.site().isWithin(a.scope())) {
                throw Refuse.forbidden("rlAppealOwn", "only the listed enterprise appeals");
            }
        });
    }

    @Override
    public RedLineEntry decideAppeal(Actor a, String id, boolean upheld, String note) {
        String why = Refuse.required(note, TEXT_CHARS, "note", "rlReasonRequired");
        return step(a, id, EntryState.APPEALED, upheld ? EntryState.REMOVED : EntryState.LISTED,
                upheld ? "appeal-upheld" : "appeal-rejected", why, null, null, e -> Levels.mayRemove(a, e));
    }

    @Override
    public RedLineEntry remove(Actor a, String id, String note) {
        String why = Refuse.required(note, TEXT_CHARS, "note", "rlReasonRequired");
        return step(a, id, EntryState.LISTED, EntryState.REMOVED, "removed", why, null, null, e -> Levels.mayRemove(a, e));
    }

    @Override
    public RedLineEntry handOff(Actor a, String id, String authority, String reference, String note) {
        String to = Refuse.required(authority, 200, "authority", "rlAuthorityRequired");
        String ref = Refuse.text(reference, 200, "reference");
        return step(a, id, EntryState.LISTED, EntryState.HANDED_OFF, "handed-off", Refuse.text(note, TEXT_CHARS, "note"),
                to, ref, e -> {
                    if (!Levels.county(a)) {
                        throw Refuse.forbidden("rlCountyOnly", "only the county hands a case over for 除名");
                    }
                });
    }

    @Override
    public Optional<RedLineEntry> entry(String id) {
        return db.inTransaction(c -> RedLineRows.entry(c, id));
    }

    @Override
    public List<RedLineEntry> entries(GridPath subtree, boolean all) {
        return db.inTransaction(c -> RedLineRows.entries(c, subtree)).stream().filter(e -> all || e.state().open()).toList();
    }

    @Override
    public List<EntryEvent> history(String id) {
        return db.inTransaction(c -> RedLineRows.history(c, id));
    }

    @FunctionalInterface
    private interface Check {
        void allowed(RedLineEntry e);
    }

    private RedLineEntry step(Actor a, String id, EntryState from, EntryState to, String type, String note, String handOffTo,
                              String handOffRef, Check check) {
        Instant now = clock.instant();
        RedLineEntry after = write(c -> {
            RedLineEntry e = load(c, id);
            check.allowed(e);
            if (e.state() != from) {
                throw Refuse.conflict("rlState", "listing " + id + " is " + e.state().id() + "; this needs it " + from.id());
            }
            RedLineRows.updateEntry(c, id, to, now, handOffTo, handOffRef);
            RedLineRows.event(c, new EntryEvent(id, type, from, to, a.user(), now,
                    handOffTo == null ? note : handOffTo + (handOffRef == null ? "" : " " + handOffRef) + (note == null ? "" : ": " + note)));
            return load(c, id);
        });
        count(type);
        LOG.info("{} ({}): red-line listing {} of {} {} -> {}", a.user(), a.scope(), id, after.site(), from.id(), to.id());
        return after;
    }

    private static RedLineEntry load(Connection c, String id) throws SQLException {
        return RedLineRows.entry(c, id).orElseThrow(() -> new NoSuchElementException("no such listing: " + id));
    }

    private <T> T write(SupervisionDatabase.Work<T> w) {
        synchronized (writes) {
            return db.inTransaction(w);
        }
    }

    private void count(String what) {
        Counter.builder("safegrid.redline.steps").tag("step", what).register(registry).increment();
    }

    private static String id(String kind) {
        return kind + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
