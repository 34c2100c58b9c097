package io.safegrid.supervision.task;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.UserDef;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.Actor;
import io.safegrid.model.hazard.Hazard;
import io.safegrid.model.hazard.HazardGrade;
import io.safegrid.model.hazard.HazardRegister;
import io.safegrid.model.hazard.HazardSource;
import io.safegrid.model.hazard.HazardState;
import io.safegrid.model.hazard.NewHazard;
import io.safegrid.model.hazard.Photo;
import io.safegrid.model.hazard.PhotoRef;
import io.safegrid.model.hazard.PhotoUpload;
import io.safegrid.model.supervision.Checklist;
import io.safegrid.model.supervision.Improvement;
import io.safegrid.model.supervision.InspectionProgress;
import io.safegrid.model.supervision.Inspections;
import io.safegrid.model.supervision.ItemCheck;
import io.safegrid.model.supervision.ItemResult;
import io.safegrid.model.supervision.NewPlan;
import io.safegrid.model.supervision.Outcome;
import io.safegrid.model.supervision.Plan;
import io.safegrid.model.supervision.Reinspection;
import io.safegrid.model.supervision.Task;
import io.safegrid.model.supervision.TownshipProgress;
import io.safegrid.supervision.SupervisionSettings;
import io.safegrid.supervision.checklist.Templates;
import io.safegrid.supervision.photo.PhotoCheck;
import io.safegrid.supervision.plan.PlanDraft;
import io.safegrid.supervision.plan.Reach;
import io.safegrid.supervision.plan.Refuse;
import io.safegrid.supervision.store.InspectionRows;
import io.safegrid.supervision.store.SupervisionDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans, tasks, re-inspection and completion on the supervision database; hazards go to the hazard
 * register through its port. Writes are serialised (one lock) so audit sequence numbers never clash;
 * each runs in one transaction with its audit line.
 */
public final class InspectionService implements Inspections, InspectionProgress {
    private static final Logger LOG = LoggerFactory.getLogger(InspectionService.class);
    private static final int NOTE_CHARS = 4000;
    private static final int LOCATION_CHARS = 200;

    private final ConfigSource config;
    private final SupervisionDatabase db;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Supplier<HazardRegister> hazards;
    private final Reach reach;
    private final PhotoCheck photos;
    private final Timer completionTimer;
    private final Object writes = new Object();

    public InspectionService(ConfigSource config, SupervisionDatabase db, SupervisionSettings s, Clock clock,
                             MeterRegistry registry, Supplier<HazardRegister> hazards) {
        this.config = config;
        this.db = db;
        this.clock = clock;
        this.registry = registry;
        this.hazards = hazards;
        this.reach = new Reach(config);
        this.photos = new PhotoCheck(s.photoMaxBytes(), s.photoTypes(), s.photosPerItem());
        this.completionTimer = Timer.builder("safegrid.supervision.completion")
                .description("one completion query (assessment, reports, plan pages)").register(registry);
    }

    @Override
    public Instant now() { return clock.instant(); }

    @Override
    public List<Checklist> templates() { return Templates.ALL; }

    // ------------------------------------------------------------------ Plan

    @Override
    public Plan createPlan(Actor a, NewPlan n) {
        Instant now = clock.instant();
        Set<String> users = config.current().users().stream().map(UserDef::name).collect(Collectors.toSet());
        Plan p = PlanDraft.settle(id("plan"), a, n, reach, users, now);
        write(c -> {
            InspectionRows.insertPlan(c, p);
            for (int i = 0; i < p.targets().size(); i++) {
                InspectionRows.insertTask(c, id("task"), p, i, p.items());
            }
            InspectionRows.event(c, p.id(), "planned", a.user(), now, p.targets().size() + " task(s), due " + p.dueAt()
                    + (p.unannounced() ? ", unannounced" : ""));
            return null;
        });
        step("planned");
        LOG.info("{} planned {} '{}': {} enterprise(s), due {}{}", a.user(), p.id(), p.title(), p.targets().size(),
                p.dueAt(), p.unannounced() ? " (四不两直)" : "");
        return p;
    }

    @Override
    public Optional<Plan> plan(String id) {
        return read(c -> InspectionRows.plan(c, id));
    }

    @Override
    public List<Plan> plans(GridPath subtree) {
        return read(c -> InspectionRows.plans(c, subtree));
    }

    // ------------------------------------------------------------------ Do

    @Override
    public Optional<Task> task(String id) {
        return read(c -> InspectionRows.task(c, id));
    }

    @Override
    public List<Task> tasks(String planId, GridPath subtree) {
        return read(c -> planId != null ? InspectionRows.tasksOfPlan(c, planId) : InspectionRows.tasksWithin(c, subtree));
    }

    @Override
    public Task check(Actor a, String taskId, int no, ItemCheck check) {
        if (check.outcome() == null || check.outcome() == Outcome.PENDING) {
            throw Refuse.invalid("svOutcome", "an outcome is required: pass, fail or corrected");
        }
        String note = Refuse.text(check.note(), NOTE_CHARS, "note");
        if (check.outcome().failed() && note == null) {
            throw Refuse.invalid("svNoteRequired", "say what was wrong (and, when corrected, what was done)");
        }
        Instant now = clock.instant();
        Task after = write(c -> {
            Task t = open(c, a, taskId);
            ItemResult item = item(t, no);
            if (item.hazardId() != null) {
                throw Refuse.conflict("svItemHasHazard", "item " + no + " already became hazard " + item.hazardId());
            }
            List<String> types = photos.contentTypes(check.photos(), item.photos().size());
            InspectionRows.updateItem(c, taskId, no, check.outcome(), note, a.user(), now);
            for (int i = 0; i < types.size(); i++) {
                PhotoUpload up = check.photos().get(i);
                InspectionRows.insertPhoto(c, taskId, no, new PhotoRef(UUID.randomUUID().toString(), "inspection",
                        types.get(i), up.data().length, a.user(), now), up.data());
            }
            InspectionRows.event(c, taskId, "checked", a.user(), now, no + " " + check.outcome().id()
                    + (note == null ? "" : ": " + note));
            return InspectionRows.task(c, taskId).orElseThrow();
        });
        step(check.outcome() == Outcome.CORRECTED ? "corrected" : "checked");
        return after;
    }

    @Override
    public Task complete(Actor a, String taskId, String location) {
        String where = Refuse.text(location, LOCATION_CHARS, "location");
        Instant now = clock.instant();
        Task after = write(c -> {
            Task t = open(c, a, taskId);
            long pending = t.items().stream().filter(i -> i.outcome() == Outcome.PENDING).count();
            if (pending > 0) {
                throw Refuse.invalid("svItemsUnchecked", pending + " item(s) not checked yet");
            }
            InspectionRows.complete(c, taskId, a.user(), now, where);
            long failed = t.items().stream().filter(i -> i.outcome().failed()).count();
            InspectionRows.event(c, taskId, "done", a.user(), now, failed + " failed" + (where == null ? "" : ", at " + where));
            return InspectionRows.task(c, taskId).orElseThrow();
        });
        step("done");
        LOG.info("{} finished inspection {} of {} ({}){}", a.user(), taskId, after.target(),
                after.late() ? "late" : "on time", where == null ? "" : " at " + where);
        return after;
    }

    @Override
    public Task raiseHazard(Actor a, String taskId, int no, HazardGrade grade) {
        HazardRegister register = register();
        // one raise at a time: the register and this store are two databases, so the item is checked,
        // the hazard reported, then the link written, without another raise of the same item in between
        synchronized (this) {
            Task t = task(taskId).orElseThrow(() -> new NoSuchElementException("no such task: " + taskId));
            inspector(a, t);
            ItemResult item = item(t, no);
            if (item.outcome() != Outcome.FAIL) {
                throw Refuse.conflict("svNotFailed", "only a failed item (not corrected on the spot) becomes a hazard");
            }
            if (item.hazardId() != null) {
                throw Refuse.conflict("svItemHasHazard", "item " + no + " already became hazard " + item.hazardId());
            }
            List<PhotoUpload> evidence = new ArrayList<>();
            for (PhotoRef p : item.photos()) {
                read(c -> InspectionRows.photoData(c, taskId, p.id())).ifPresent(b -> evidence.add(new PhotoUpload("evidence", b)));
            }
            String text = Templates.text(item.item(), "zh");
            String description = text + (item.note() == null ? "" : "\n" + item.note()) + "\n[检查 " + t.planTitle() + " / "
                    + taskId + " #" + no + "]";
            NewHazard n = new NewHazard(t.target(), reach.departmentsOf(t.target()), null,
                    reach.department(a.scope()) ? HazardSource.DEPARTMENT_INSPECTION : HazardSource.TOWNSHIP_INSPECTION,
                    taskId + "#" + no, grade == null ? HazardGrade.GENERAL : grade, text.length() > 200 ? text.substring(0, 200) : text,
                    description, evidence);
            Hazard h = register.report(a, n);
            Instant now = clock.instant();
            try {
                write(c -> {
                    if (!InspectionRows.linkHazard(c, taskId, no, h.id())) {
                        throw new SQLException("item " + no + " of " + taskId + " was linked meanwhile");
                    }
                    InspectionRows.event(c, taskId, "hazard", a.user(), now, no + " -> " + h.id());
                    return null;
                });
            } catch (RuntimeException e) {
                // the register has it, with this item as its source reference; the link is named in the log
                LOG.error("hazard {} was raised from {} #{} but the link was not stored: {}", h.id(), taskId, no, e.toString());
                throw e;
            }
            step("hazard");
            LOG.info("{} raised hazard {} from inspection {} item {}", a.user(), h.id(), taskId, no);
            return task(taskId).orElseThrow();
        }
    }

    // ------------------------------------------------------------------ Check

    @Override
    public Reinspection reinspect(Actor a, String taskId, int no, boolean accepted, String note) {
        HazardRegister register = register();
        String text = Refuse.text(note, NOTE_CHARS, "note");
        if (!accepted && text == null) {
            throw Refuse.invalid("svNoteRequired", "say what is still wrong");
        }
        synchronized (this) {
            Task t = task(taskId).orElseThrow(() -> new NoSuchElementException("no such task: " + taskId));
            inspector(a, t);
            ItemResult item = item(t, no);
            if (item.hazardId() == null) {
                throw Refuse.conflict("svNoHazard", "item " + no + " raised no hazard to re-inspect");
            }
            if (accepted) {
                register.accept(a, item.hazardId(), text);
            } else {
                register.reject(a, item.hazardId(), text);
            }
            Reinspection r = new Reinspection(taskId, no, item.hazardId(), accepted, text, a.user(), clock.instant());
            write(c -> {
                InspectionRows.insertReinspection(c, r);
                InspectionRows.event(c, taskId, "reinspected", a.user(), r.at(), no + " " + item.hazardId()
                        + (accepted ? " accepted" : " rejected"));
                return null;
            });
            step(accepted ? "accepted" : "rejected");
            LOG.info("{} re-inspected hazard {} (inspection {} #{}): {}", a.user(), item.hazardId(), taskId, no,
                    accepted ? "accepted" : "rejected");
            return r;
        }
    }

    @Override
    public List<Reinspection> reinspections(String taskId) {
        return read(c -> InspectionRows.reinspections(c, taskId));
    }

    /** The audit trail of a plan or task: {type, user, epoch ms, detail}, oldest first. */
    public List<String[]> trail(String subject) {
        return read(c -> InspectionRows.events(c, subject));
    }

    @Override
    public List<TownshipProgress> progress(String planId) {
        List<Task> tasks = read(c -> InspectionRows.bareTasksOfPlan(c, planId));
        List<String[]> raised = read(c -> InspectionRows.hazardsOfPlan(c, planId));
        HazardRegister register = hazards.get();
        Map<GridPath, int[]> by = new TreeMap<>();
        for (Task t : tasks) {
            int[] n = by.computeIfAbsent(InspectionRows.township(t.target()), k -> new int[5]);
            n[0]++;
            if (t.done()) {
                n[t.late() ? 2 : 1]++;
            }
        }
        for (String[] h : raised) {
            int[] n = by.computeIfAbsent(GridPath.parse(h[0]), k -> new int[5]);
            n[3]++;
            if (register != null && register.get(h[1]).map(x -> x.state() == HazardState.ACCEPTED).orElse(false)) {
                n[4]++;
            }
        }
        List<TownshipProgress> out = new ArrayList<>();
        by.forEach((k, n) -> out.add(new TownshipProgress(k, n[0], n[1], n[2], n[3], n[4])));
        return out;
    }

    @Override
    public Completion completion(GridPath subtree, Instant from, Instant to) {
        return completionTimer.record(() -> {
            List<Task> due = read(c -> InspectionRows.dueWithin(c, subtree, from, to));
            int done = 0;
            int late = 0;
            for (Task t : due) {
                if (t.done()) {
                    if (t.late()) {
                        late++;
                    } else {
                        done++;
                    }
                }
            }
            return new Completion(due.size(), done, late, due.stream().map(Task::id).toList());
        });
    }

    // ------------------------------------------------------------------ Act

    @Override
    public List<Improvement> improvements(GridPath subtree, Instant from, Instant to, int minEnterprises) {
        // one line per item wording: a template key, or a written text (case aside)
        Map<String, List<InspectionRows.Failure>> byItem = new LinkedHashMap<>();
        for (InspectionRows.Failure f : read(c -> InspectionRows.failures(c, subtree, from, to))) {
            String k = f.item().key() != null ? f.item().key() : "text:" + f.item().text().toLowerCase(Locale.ROOT);
            byItem.computeIfAbsent(k, x -> new ArrayList<>()).add(f);
        }
        List<Improvement> out = new ArrayList<>();
        for (List<InspectionRows.Failure> f : byItem.values()) {
            Set<GridPath> enterprises = new HashSet<>();
            Set<String> ids = new java.util.LinkedHashSet<>();
            for (InspectionRows.Failure x : f) {
                enterprises.add(x.target());
                ids.add(x.taskId());
            }
            if (enterprises.size() >= Math.max(1, minEnterprises)) {
                out.add(new Improvement(f.get(0).item(), f.size(), enterprises.size(), List.copyOf(ids)));
            }
        }
        out.sort((x, y) -> y.enterprises() != x.enterprises() ? y.enterprises() - x.enterprises() : y.failures() - x.failures());
        return out;
    }

    @Override
    public Optional<Photo> photo(String taskId, String photoId) {
        return task(taskId).flatMap(t -> t.items().stream().flatMap(i -> i.photos().stream())
                .filter(p -> p.id().equals(photoId)).findFirst()
                .flatMap(ref -> read(c -> InspectionRows.photoData(c, taskId, photoId)).map(b -> new Photo(ref, b))));
    }

    // ------------------------------------------------------------------ helpers

    private HazardRegister register() {
        HazardRegister r = hazards.get();
        if (r == null) {
            throw new IllegalStateException("no hazard register on this node");
        }
        return r;
    }

    /** The task, open, and the actor one of its inspectors or of the unit that planned it. */
    private Task open(Connection c, Actor a, String taskId) throws SQLException {
        Task t = InspectionRows.task(c, taskId).orElseThrow(() -> new NoSuchElementException("no such task: " + taskId));
        inspector(a, t);
        if (t.done()) {
            throw Refuse.conflict("svTaskDone", "task " + taskId + " is done; its record no longer changes");
        }
        return t;
    }

    private void inspector(Actor a, Task t) {
        if (!a.supervisor()) {
            throw Refuse.forbidden("svNotInspector", "only inspectors record inspections");
        }
        if (t.inspectors().contains(a.user())) {
            return;
        }
        Plan p = plan(t.planId()).orElseThrow();
        if (!p.owner().isWithin(a.scope())) {
            throw Refuse.forbidden("svNotInspector", a.user() + " is not an inspector of this task nor of the planning unit");
        }
    }

    private static ItemResult item(Task t, int no) {
        return t.items().stream().filter(i -> i.no() == no).findFirst()
                .orElseThrow(() -> Refuse.invalid("svItemUnknown", "task " + t.id() + " has no item " + no));
    }

    private <T> T write(SupervisionDatabase.Work<T> w) {
        synchronized (writes) {
            return db.inTransaction(w);
        }
    }

    private <T> T read(SupervisionDatabase.Work<T> w) {
        return db.inTransaction(w);
    }

    private void step(String what) {
        Counter.builder("safegrid.supervision.steps").tag("step", what).register(registry).increment();
    }

    static String id(String kind) {
        return kind + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
