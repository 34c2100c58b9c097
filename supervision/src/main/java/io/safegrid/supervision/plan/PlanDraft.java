package io.safegrid.supervision.plan;

import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.Actor;
import io.safegrid.model.supervision.CheckItem;
import io.safegrid.model.supervision.NewPlan;
import io.safegrid.model.supervision.Plan;
import io.safegrid.model.supervision.TargetRule;
import io.safegrid.model.text.Texts;
import io.safegrid.supervision.checklist.Templates;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Checks a plan as written and settles its targets; refuses with the first thing wrong, before any write. */
public final class PlanDraft {
    public static final int MAX_ITEMS = 100;
    public static final int MAX_TARGETS = 20_000;
    public static final int ITEM_CHARS = 1000;

    private PlanDraft() {
    }

    public static Plan settle(String id, Actor a, NewPlan n, Reach reach, Set<String> users, Instant now) {
        if (!a.supervisor()) {
            throw Refuse.forbidden("svNotSupervisor", "only township, department and county users plan inspections");
        }
        String title = Refuse.required(n.title(), 200, "title", "svTitleRequired");
        GridPath owner = n.owner() == null ? a.scope() : n.owner();
        if (!owner.isWithin(a.scope())) {
            throw Refuse.forbidden("svOwnerOutOfScope", "a plan is owned by your unit or one below it, not " + owner);
        }
        if (n.dueAt() == null || !n.dueAt().isAfter(now)) {
            throw Refuse.invalid("svDueInPast", "the due date must be ahead");
        }
        if (n.startsAt() != null && n.startsAt().isAfter(n.dueAt())) {
            throw Refuse.invalid("svStartAfterDue", "the plan starts after it is due");
        }
        if (n.template() != null && Templates.byId(n.template()).isEmpty()) {
            throw Refuse.invalid("svTemplateUnknown", "no checklist template " + n.template());
        }
        List<CheckItem> items = items(n);
        Set<GridPath> targets = new LinkedHashSet<>();
        for (GridPath t : n.targets()) {
            if (reach.enterprise(t) == null) {
                throw Refuse.invalid("svTargetUnknown", "no enterprise " + t + " in the grid");
            }
            if (!reach.reaches(a, t)) {
                throw Refuse.forbidden("svTargetOutOfScope", t + " is outside your reach");
            }
            targets.add(t);
        }
        TargetRule rule = n.rule();
        if (rule != null) {
            // a rule over a subtree above the unit's (the county, for a township) covers the unit's own part
            if (a.scope().isWithin(rule.subtree()) && !reach.department(a.scope())) {
                rule = new TargetRule(a.scope(), rule.minRisk());
            }
            if (!rule.subtree().isWithin(a.scope()) && !reach.department(a.scope())) {
                throw Refuse.forbidden("svTargetOutOfScope", rule.subtree() + " is outside your reach");
            }
            targets.addAll(reach.resolve(a, rule));
        }
        if (targets.isEmpty()) {
            throw Refuse.invalid("svNoTargets", "the plan names no enterprise, and its rule matches none");
        }
        if (targets.size() > MAX_TARGETS) {
            throw Refuse.invalid("svTooManyTargets", "at most " + MAX_TARGETS + " enterprises per plan");
        }
        List<String> inspectors = n.inspectors().isEmpty() ? List.of(a.user()) : n.inspectors();
        for (String u : inspectors) {
            if (!users.contains(u)) {
                throw Refuse.invalid("svInspectorUnknown", "no user " + u);
            }
        }
        return new Plan(id, title, owner, List.copyOf(targets), rule, List.copyOf(new LinkedHashSet<>(inspectors)),
                n.startsAt(), n.dueAt(), n.template(), items, n.unannounced(), a.user(), now);
    }

    private static List<CheckItem> items(NewPlan n) {
        List<CheckItem> items = n.items().isEmpty() && n.template() != null
                ? Templates.byId(n.template()).orElseThrow().items() : n.items();
        if (items.isEmpty()) {
            throw Refuse.invalid("svNoItems", "a checklist needs at least one item");
        }
        if (items.size() > MAX_ITEMS) {
            throw Refuse.invalid("svTooManyItems", "at most " + MAX_ITEMS + " check items");
        }
        List<CheckItem> out = new ArrayList<>();
        for (CheckItem i : items) {
            String text = Refuse.text(i.text(), ITEM_CHARS, "a check item");
            if (text == null && !(i.key().startsWith("check.") && Texts.has(i.key()))) {
                throw Refuse.invalid("svItemUnknown", "no template item " + i.key() + "; write its text instead");
            }
            out.add(new CheckItem(text == null ? i.key() : null, text));
        }
        return out;
    }
}
