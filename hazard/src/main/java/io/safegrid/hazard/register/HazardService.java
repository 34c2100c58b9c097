package io.safegrid.hazard.register;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.safegrid.config.ConfigSource;
import io.safegrid.hazard.archive.ArchiveService;
import io.safegrid.hazard.deadline.NoticeLadder;
import io.safegrid.hazard.deadline.ScanPass;
import io.safegrid.hazard.photo.ImageType;
import io.safegrid.hazard.store.HazardDatabase;
import io.safegrid.hazard.store.HazardRows;
import io.safegrid.hazard.notice.NoticeOutbox;
import io.safegrid.hazard.store.HazardRows.Notice;
import io.safegrid.hazard.store.NoticeRows;
import io.safegrid.hazard.store.HazardRows.Schedule;
import io.safegrid.model.grid.Grid;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.Actor;
import io.safegrid.model.hazard.FiveMeasures;
import io.safegrid.model.hazard.Hazard;
import io.safegrid.model.hazard.HazardEvent;
import io.safegrid.model.hazard.HazardGrade;
import io.safegrid.model.hazard.HazardPage;
import io.safegrid.model.hazard.HazardQuery;
import io.safegrid.model.hazard.HazardRefused;
import io.safegrid.model.hazard.HazardRefused.Kind;
import io.safegrid.model.hazard.HazardRegister;
import io.safegrid.model.hazard.HazardSource;
import io.safegrid.model.hazard.HazardState;
import io.safegrid.model.hazard.NewHazard;
import io.safegrid.model.hazard.Photo;
import io.safegrid.model.hazard.PhotoRef;
import io.safegrid.model.hazard.PhotoUpload;
import io.safegrid.model.hazard.Supervision;
import io.safegrid.model.notice.GridNotices;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hazard register on its database. Writes are serialised (hazards change a few times a day
 * each) and each one commits the hazard row, its audit line and any notices it causes in one
 * transaction before returning, so what the API confirmed survives a kill -9. Notices are sent
 * after the commit by a delivery thread through {@link GridNotices} ({@link NoticeOutbox}): each person on
 * each channel once, retried with backoff until it goes out.
 */
public final class HazardService implements HazardRegister, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HazardService.class);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.of("Asia/Shanghai"));
    private static final Set<String> STAGES = Set.of("before", "after", "evidence");
    private static final int SCAN_BATCH = 500;
    /** A scan pass stops taking chunks after this; the chunk under way finishes. */
    static final java.time.Duration PASS_BUDGET = java.time.Duration.ofMillis(600);

    private final ConfigSource config;
    private final HazardSettings settings;
    private final Clock clock;
    private final MeterRegistry registry;
    private final NoticeLadder ladder;
    private final Object writes = new Object();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong unsent = new AtomicLong();
    private final Timer scanTimer;
    private volatile GridNotices notices;
    private HazardDatabase db;
    private ArchiveService archive;
    private NoticeOutbox outbox;
    private ScheduledExecutorService scanner;
    private ScheduledExecutorService delivery;

    public HazardService(ConfigSource config, HazardSettings settings, Clock clock, MeterRegistry registry) {
        this.config = config;
        this.settings = settings;
        this.clock = clock;
        this.registry = registry;
        this.ladder = new NoticeLadder(settings.warnBefore(), settings.climbAfter());
        scanTimer = Timer.builder("safegrid.hazard.scan").description("one pass of the deadline scanner").register(registry);
        Gauge.builder("safegrid.hazard.notices.unsent", unsent, AtomicLong::get)
                .description("deadline and major-hazard notices not yet delivered").register(registry);
    }

    /** Where notices go (the node plugs in alerting's rosters and channels); without one they wait, stored. */
    public HazardService notices(GridNotices n) {
        this.notices = n;
        wakeDelivery();
        return this;
    }

    /** Opens the database; with {@code background}, scans deadlines every {@code scan-every} and delivers notices. */
    public HazardService start(boolean background) throws SQLException {
        db = HazardDatabase.open(settings.url(), settings.user(), settings.password());
        archive = new ArchiveService(config, db, clock, writes);
        outbox = new NoticeOutbox(db, writes, clock, registry, this::consoleUrl);
        Connection c = db.take();
        try {
            seq.set(HazardRows.maxSeq(c));
            unsent.set(HazardRows.unsentCount(c));
        } finally {
            db.release(c, false);
        }
        if (background) {
            scanner = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "hazard-deadlines"));
            long every = settings.scanEvery().toMillis();
            scanner.scheduleWithFixedDelay(this::scanQuietly, every, every, TimeUnit.MILLISECONDS);
            delivery = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "hazard-notices"));
            // a due retry is found within the poll; new notices wake the thread at once
            delivery.scheduleWithFixedDelay(this::deliverQuietly, 1, 2, TimeUnit.SECONDS);
        }
        LOG.info("hazard register open: {} hazards, {} notices waiting", seq.get(), unsent.get());
        return this;
    }

    /** The safety archive (一企一档) on the same database; after {@link #start}. */
    public ArchiveService archive() { return archive; }

    /** The register read in bulk, for the assessment and the reports; after {@link #start}. */
    public io.safegrid.model.hazard.HazardFacts facts() { return new io.safegrid.hazard.store.RegisterFacts(db); }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public Instant now() { return clock.instant(); }

    // ------------------------------------------------------------------ reads

    @Override
    public Optional<Hazard> get(String id) {
        return read(c -> HazardRows.get(c, id, false));
    }

    @Override
    public HazardPage list(HazardQuery query) {
        long now = clock.millis();
        HazardQuery q = withoutWholeGrid(query);
        return read(c -> new HazardPage(HazardRows.list(c, q, now), HazardRows.count(c, q, now), query.offset(), query.limit()));
    }

    /**
     * The county's own query (its subtree is the whole grid) without the subtree condition: the same
     * rows, but the database walks the newest first and stops at the page instead of sorting them all.
     */
    private HazardQuery withoutWholeGrid(HazardQuery q) {
        List<GridNode> roots = config.current().grid().roots();
        if (q.subtree() == null || q.department() != null || roots.size() != 1 || !roots.get(0).path().equals(q.subtree())) {
            return q;
        }
        return new HazardQuery(null, null, q.grades(), q.states(), q.overdue(), q.listed(), q.offset(), q.limit());
    }

    @Override
    public List<HazardEvent> timeline(String id) {
        return read(c -> {
            if (HazardRows.get(c, id, false).isEmpty()) {
                throw new NoSuchElementException("no such hazard: " + id);
            }
            return HazardRows.events(c, id);
        });
    }

    @Override
    public List<Hazard> supervised(GridPath subtree) {
        Instant now = clock.instant();
        List<Hazard> all = new ArrayList<>(read(c -> HazardRows.listed(c, subtree)));
        all.sort((a, b) -> Boolean.compare(b.overdue(now), a.overdue(now)));
        return all;
    }

    @Override
    public Optional<Photo> photo(String hazardId, String photoId) {
        return read(c -> {
            Optional<Hazard> h = HazardRows.get(c, hazardId, false);
            if (h.isEmpty()) {
                return Optional.empty();
            }
            Optional<PhotoRef> ref = h.get().photos().stream().filter(p -> p.id().equals(photoId)).findFirst();
            if (ref.isEmpty()) {
                return Optional.empty();
            }
            return HazardRows.photoData(c, hazardId, photoId).map(d -> new Photo(ref.get(), d));
        });
    }

    /** Per step, whether its notice went out (for the timeline and tests). */
    public Map<String, Boolean> notices(String hazardId) {
        return read(c -> HazardRows.notices(c, hazardId));
    }

    // ------------------------------------------------------------------ actions

    @Override
    public Hazard report(Actor a, NewHazard n) {
        Objects.requireNonNull(n.site(), "site");
        if (n.description() == null || n.description().isBlank()) {
            throw new HazardRefused(Kind.INVALID, "hazardDescriptionRequired", "a description of the hazard is required");
        }
        if (n.grade() == null || n.source() == null) {
            throw new HazardRefused(Kind.INVALID, "hazardGradeRequired", "grade and source are required");
        }
        if (!a.supervisor() && (n.source() == HazardSource.TOWNSHIP_INSPECTION || n.source() == HazardSource.DEPARTMENT_INSPECTION)) {
            throw new HazardRefused(Kind.FORBIDDEN, "hazardNotYours", "an enterprise reports its own self-check, not an inspection");
        }
        List<ImageType> types = checkPhotos(n.photos(), 0);
        Instant now = clock.instant();
        return write(c -> {
            long s = seq.incrementAndGet();
            String id = "hz-" + s;
            List<PhotoRef> refs = storePhotos(c, id, n.photos(), types, a.user(), now, "before");
            Hazard h = new Hazard(id, n.site(), n.departments(), n.place(), n.source(), n.sourceRef(), n.grade(),
                    blankToNull(n.category()), n.description().strip(), HazardState.REPORTED, FiveMeasures.none(), null,
                    a.user(), now, now, refs);
            HazardRows.insert(c, h, s, schedule(h, 0));
            Map<String, String[]> changes = new LinkedHashMap<>();
            changes.put("grade", new String[] {null, h.grade().id()});
            changes.put("source", new String[] {null, h.source().id()});
            if (h.sourceRef() != null) {
                changes.put("sourceRef", new String[] {null, h.sourceRef()});
            }
            changes.put("photos", new String[] {null, String.valueOf(refs.size())});
            HazardRows.appendEvent(c, id, HazardEvent.Type.REPORTED, a.user(), now, null, HazardState.REPORTED, changes,
                    h.description());
            if (h.grade() == HazardGrade.MAJOR) {
                reportMajor(c, h, now);
            }
            return h;
        }, true);
    }

    /** 重大隐患: the township and each industry department are told at once (Work Safety Law art. 41). */
    private void reportMajor(Connection c, Hazard h, Instant now) throws SQLException {
        Grid grid = config.current().grid();
        GridPath township = NoticeLadder.township(grid, h.site());
        String zh = "重大隐患 " + h.id() + "：" + placeOf(h) + " " + h.description();
        String en = "Major hazard " + h.id() + " at " + placeOf(h) + ": " + h.description();
        if (township != null) {
            notice(c, h, "major-" + township, township, List.of(), "【重大隐患报告】" + placeOf(h), "Major hazard reported", zh, en, now);
        }
        for (GridPath d : h.departments()) {
            notice(c, h, "major-" + d, d, List.of(), "【重大隐患报告】" + placeOf(h), "Major hazard reported", zh, en, now);
        }
    }

    @Override
    public Hazard assign(Actor a, String id, FiveMeasures five, String note) {
        Instant now = clock.instant();
        return transition(a, id, HazardState.REPORTED, HazardState.ASSIGNED, HazardEvent.Type.ASSIGNED, note, h -> {
            if (!a.supervisor() && h.grade() != HazardGrade.GENERAL) {
                throw new HazardRefused(Kind.FORBIDDEN, "hazardNotYours",
                        "only the township, department or county assigns a 较大 or 重大 hazard");
            }
            checkFive(h.grade(), five, now);
            return new Hazard(h.id(), h.site(), h.departments(), h.place(), h.source(), h.sourceRef(), h.grade(),
                    h.category(), h.description(), HazardState.ASSIGNED, trimmed(five), h.supervision(), h.reportedBy(),
                    h.reportedAt(), now, h.photos());
        });
    }

    @Override
    public Hazard startRectifying(Actor a, String id, String note) {
        return transition(a, id, HazardState.ASSIGNED, HazardState.RECTIFYING, HazardEvent.Type.RECTIFYING, note,
                h -> h);
    }

    @Override
    public Hazard submit(Actor a, String id, String note, List<PhotoUpload> photos) {
        Hazard before = get(id).orElseThrow(() -> new NoSuchElementException("no such hazard: " + id));
        List<PhotoUpload> ps = photos == null ? List.of() : photos;
        List<ImageType> types = checkPhotos(ps, before.photos().size());
        Instant now = clock.instant();
        return transition(a, id, HazardState.RECTIFYING, HazardState.SUBMITTED, HazardEvent.Type.SUBMITTED, note,
                (c, h) -> {
                    List<PhotoRef> refs = new ArrayList<>(h.photos());
                    refs.addAll(storePhotos(c, h.id(), ps, types, a.user(), now, "after"));
                    return with(h, h.state(), h.supervision(), refs);
                });
    }

    @Override
    public Hazard accept(Actor a, String id, String note) {
        return transition(a, id, HazardState.SUBMITTED, HazardState.ACCEPTED, HazardEvent.Type.ACCEPTED, note, h -> {
            reviewer(a, h);
            return h;
        });
    }

    @Override
    public Hazard reject(Actor a, String id, String note) {
        if (note == null || note.isBlank()) {
            throw new HazardRefused(Kind.INVALID, "hazardNoteRequired", "say why the rectification is not accepted");
        }
        return transition(a, id, HazardState.SUBMITTED, HazardState.RECTIFYING, HazardEvent.Type.REJECTED, note, h -> {
            reviewer(a, h);
            return h;
        });
    }

    /** Only supervisors review; a listed hazard only at the level that listed it (挂牌督办: 谁挂牌谁销号). */
    private static void reviewer(Actor a, Hazard h) {
        if (!a.supervisor()) {
            throw new HazardRefused(Kind.FORBIDDEN, "hazardNotYours", "an enterprise cannot review its own rectification");
        }
        if (h.supervision() != null && !a.scope().equals(h.supervision().level())) {
            throw new HazardRefused(Kind.FORBIDDEN, "hazardListingLevel", "listed for supervision by "
                    + h.supervision().level() + ": only that level may accept or reject it");
        }
    }

    @Override
    public Hazard listForSupervision(Actor a, String id, String orderNo, Instant deadline) {
        Instant now = clock.instant();
        Optional<GridKind> kind = config.current().grid().node(a.scope()).map(GridNode::kind);
        if (!a.supervisor() || kind.isEmpty() || !(kind.get() == GridKind.COUNTY || kind.get() == GridKind.TOWNSHIP)) {
            throw new HazardRefused(Kind.FORBIDDEN, "hazardListLevel", "only a county or township user lists a hazard for supervision");
        }
        if (orderNo == null || orderNo.isBlank()) {
            throw new HazardRefused(Kind.INVALID, "hazardOrderNoRequired", "an order number (督办编号) is required");
        }
        if (deadline == null) {
            throw new HazardRefused(Kind.INVALID, "hazardDeadlineRequired", "a supervision deadline is required");
        }
        if (!deadline.isAfter(now)) {
            throw new HazardRefused(Kind.INVALID, "hazardDeadlinePast", "the deadline " + deadline + " is not in the future");
        }
        return write(c -> {
            Hazard h = load(c, id);
            if (h.grade() != HazardGrade.MAJOR) {
                throw new HazardRefused(Kind.INVALID, "hazardListMajorOnly", "only a 重大 hazard is listed for supervision");
            }
            if (h.supervision() != null || !h.state().open()) {
                throw new HazardRefused(Kind.CONFLICT, "hazardState", "already listed or accepted");
            }
            Supervision s = new Supervision(orderNo.strip(), a.scope(), a.user(), now, deadline);
            Hazard after = with(h, h.state(), s, h.photos());
            after = new Hazard(after.id(), after.site(), after.departments(), after.place(), after.source(), after.sourceRef(),
                    after.grade(), after.category(), after.description(), after.state(), after.five(), s,
                    after.reportedBy(), after.reportedAt(), now, after.photos());
            Schedule old = HazardRows.schedule(c, id);
            HazardRows.update(c, after, schedule(after, old.noticeStep()));
            Map<String, String[]> changes = new LinkedHashMap<>();
            changes.put("orderNo", new String[] {null, s.orderNo()});
            changes.put("listedBy", new String[] {null, s.level().toString()});
            changes.put("supervisionDeadline", new String[] {null, deadline.toString()});
            HazardRows.appendEvent(c, id, HazardEvent.Type.LISTED, a.user(), now, h.state(), h.state(), changes, null);
            return after;
        }, false);
    }

    @Override
    public Hazard addPhoto(Actor a, String id, PhotoUpload photo) {
        Hazard before = get(id).orElseThrow(() -> new NoSuchElementException("no such hazard: " + id));
        if (!before.state().open()) {
            throw new HazardRefused(Kind.CONFLICT, "hazardState", "hazard " + id + " is accepted (销号) and closed");
        }
        List<ImageType> types = checkPhotos(List.of(photo), before.photos().size());
        Instant now = clock.instant();
        return write(c -> {
            Hazard h = load(c, id);
            String stage = photo.stage() == null ? "before" : photo.stage();
            List<PhotoRef> refs = new ArrayList<>(h.photos());
            refs.addAll(storePhotos(c, id, List.of(photo), types, a.user(), now, stage));
            Hazard after = new Hazard(h.id(), h.site(), h.departments(), h.place(), h.source(), h.sourceRef(), h.grade(),
                    h.category(), h.description(), h.state(), h.five(), h.supervision(), h.reportedBy(), h.reportedAt(), now, refs);
            HazardRows.update(c, after, HazardRows.schedule(c, id));
            HazardRows.appendEvent(c, id, HazardEvent.Type.PHOTO, a.user(), now, h.state(), h.state(),
                    Map.of("photo", new String[] {null, refs.get(refs.size() - 1).id() + " (" + stage + ")"}), null);
            return after;
        }, false);
    }

    // ------------------------------------------------------------------ deadlines

    /**
     * Scans until nothing is due: bounded passes one after the other (tests, tools). Returns how many
     * notices were created.
     */
    public int scanOnce() {
        int created = 0;
        ScanPass p;
        do {
            p = scanPass();
            created += p.created();
        } while (!p.complete());
        return created;
    }

    /**
     * One pass of the deadline scanner, bounded to about {@link #PASS_BUDGET}: hazards whose next
     * notice time has come, earliest first, in chunks of {@link #SCAN_BATCH}, each chunk one
     * transaction that stores the notices of the steps now due (each step once: the store remembers
     * which went out), their audit lines and the hazards' next times; then the archive's expiry
     * reminders the same way. A pass that runs out of time stops between chunks and says so; what it
     * did not reach is still due in the store, so the next pass (at once, from the scheduler) or the
     * next start after a crash carries on: a reminder can be seconds late, never lost or doubled.
     */
    public ScanPass scanPass() {
        return scanPass(PASS_BUDGET, SCAN_BATCH);
    }

    /**
     * A pass with its own budget and chunk size. It takes chunks while time is left; a chunk that found
     * nothing does not count, so even a zero budget moves on by one chunk that did work.
     */
    public ScanPass scanPass(java.time.Duration budget, int chunkSize) {
        return scanTimer.record(() -> {
            Instant now = clock.instant();
            long until = System.nanoTime() + budget.toNanos();
            int created = 0;
            boolean hazardsLeft = true;
            boolean entriesLeft = true;
            boolean worked;
            do {
                ScanPass.Chunk chunk = hazardsLeft ? write(c -> advance(c, now, chunkSize), false) : archive.remindChunk(chunkSize);
                if (hazardsLeft) {
                    hazardsLeft = chunk.full();
                } else {
                    entriesLeft = chunk.full();
                }
                created += chunk.created();
                worked = chunk.looked() > 0;
            } while ((hazardsLeft || entriesLeft) && (!worked || System.nanoTime() < until));
            boolean complete = !hazardsLeft && !entriesLeft;
            if (created > 0) {
                LOG.info("deadline scan: {} notice(s) created{}", created, complete ? "" : ", more due: the next pass follows");
                wakeDelivery();
            }
            recountUnsent();
            return new ScanPass(created, complete);
        });
    }

    /** One chunk of due hazards, in the caller's transaction. */
    private ScanPass.Chunk advance(Connection c, Instant now, int chunkSize) throws SQLException {
        List<HazardRows.Due> due = HazardRows.due(c, now.toEpochMilli(), chunkSize);
        Grid grid = config.current().grid();
        List<Notice> wanted = new ArrayList<>();
        Map<String, Hazard> byId = new HashMap<>();
        Map<String, Schedule> next = new LinkedHashMap<>();
        for (HazardRows.Due d : due) {
            Hazard h = d.hazard();
            Schedule s = d.schedule();
            byId.put(h.id(), h);
            Instant deadline = h.effectiveDeadline();
            List<GridPath> levels = NoticeLadder.levels(grid, h.site());
            int step = s.noticeStep();
            Instant at;
            while (s.dueMs() != null && (at = ladder.at(deadline, step, levels.size())) != null && !at.isAfter(now)) {
                boolean near = step == 0;
                if (near && !deadline.isAfter(now)) {
                    step++; // already overdue: the reminder has nothing left to warn of
                    continue;
                }
                GridPath node = near ? h.site() : levels.get(step - 1);
                List<String> people = near && h.five().responsible() != null ? List.of(h.five().responsible()) : List.of();
                String when = LOCAL.format(deadline);
                String subjectZh = near ? "【隐患整改期限将到】" + placeOf(h) : "【隐患整改超期】" + placeOf(h);
                String subjectEn = near ? "Hazard deadline near" : "Hazard overdue";
                String zh = "隐患 " + h.id() + "（" + h.grade().labelZh() + "）" + placeOf(h) + "：" + h.description()
                        + (near ? "，整改期限 " + when + " 将到" : "，整改期限 " + when + " 已过，未销号");
                String en = "Hazard " + h.id() + " (" + h.grade().id() + ") at " + placeOf(h) + ": "
                        + (near ? "deadline " + when + " (UTC+8) is near" : "deadline " + when + " (UTC+8) passed, not accepted");
                wanted.add(new Notice(h.id(), NoticeLadder.stepName(step), node, people, subjectZh, subjectEn, zh, en, now));
                step++;
            }
            Instant at2 = s.dueMs() == null ? null : ladder.at(deadline, step, levels.size());
            next.put(h.id(), new Schedule(s.dueMs(), at2 == null ? null : at2.toEpochMilli(), step));
        }
        List<Notice> fresh = HazardRows.insertNotices(c, wanted);
        HazardRows.appendEvents(c, fresh.stream().map(n -> noticeEvent(byId.get(n.hazardId()), n)).toList());
        HazardRows.schedules(c, next);
        return new ScanPass.Chunk(fresh.size(), due.size(), due.size() == chunkSize);
    }

    /** Stores a notice and its audit line, unless this hazard had one for this step. */
    private boolean notice(Connection c, Hazard h, String step, GridPath node, List<String> people, String subjectZh,
                           String subjectEn, String zh, String en, Instant now) throws SQLException {
        Notice n = new Notice(h.id(), step, node, people, subjectZh, subjectEn, zh, en, now);
        boolean fresh = HazardRows.insertNotice(c, n);
        if (fresh) {
            HazardRows.appendEvents(c, List.of(noticeEvent(h, n)));
        }
        return fresh;
    }

    /** The audit line of a notice: to whom it went, as the hazard stood. */
    private static HazardEvent noticeEvent(Hazard h, Notice n) {
        String to = (n.node() == null ? "" : n.node().toString()) + (n.people().isEmpty() ? "" : " + " + String.join(",", n.people()));
        return new HazardEvent(0, h.id(), HazardEvent.Type.NOTICE, null, n.created(), h.state(), h.state(),
                Map.of("notice", new String[] {null, n.step()}), to);
    }

    /** Sends what is stored and not yet out (each person on each channel once); returns how many routes went out. */
    public int deliverOnce() {
        GridNotices n = notices;
        if (n == null || outbox == null) {
            return 0;
        }
        int sent = outbox.deliverOnce(n);
        recountUnsent();
        return sent;
    }

    /** A notice's routes as {@code person/channel STATUS} (for tests and the operator). */
    public List<String> noticeRoutes(String hazardId, String step) {
        return read(c -> NoticeRows.routes(c, hazardId, step));
    }

    /** The gauge from the store: a notice counted inside a transaction that then rolled back never existed. */
    private void recountUnsent() {
        unsent.set(read(HazardRows::unsentCount));
    }

    private void scanQuietly() {
        try {
            if (!scanPass().complete()) {
                ScheduledExecutorService s = scanner;
                if (s != null && !s.isShutdown()) {
                    s.execute(this::scanQuietly); // a backlog: the next bounded pass at once
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("deadline scan failed (next pass retries): {}", e.toString());
        }
    }

    private void deliverQuietly() {
        try {
            deliverOnce();
        } catch (RuntimeException e) {
            LOG.warn("notice delivery failed (retried): {}", e.toString());
        }
    }

    private void wakeDelivery() {
        ScheduledExecutorService d = delivery;
        if (d != null && !d.isShutdown()) {
            d.execute(this::deliverQuietly);
        }
    }

    private String consoleUrl() {
        return io.safegrid.config.link.ConsoleAddress.of(config.current().node());
    }

    // ------------------------------------------------------------------ helpers

    @FunctionalInterface
    private interface Change {
        Hazard apply(Connection c, Hazard h) throws SQLException;
    }

    @FunctionalInterface
    private interface SimpleChange {
        Hazard apply(Hazard h);
    }

    private Hazard transition(Actor a, String id, HazardState from, HazardState to, HazardEvent.Type type, String note,
                              SimpleChange change) {
        return transition(a, id, from, to, type, note, (c, h) -> change.apply(h));
    }

    /** Loads, checks the state, applies, audits (with the fields that changed) and commits, all or nothing. */
    private Hazard transition(Actor a, String id, HazardState from, HazardState to, HazardEvent.Type type, String note,
                              Change change) {
        Instant now = clock.instant();
        return write(c -> {
            Hazard h = load(c, id);
            if (h.state() != from) {
                throw new HazardRefused(Kind.CONFLICT, "hazardState", "hazard " + id + " is " + h.state().id()
                        + "; this needs it " + from.id());
            }
            Hazard changed = change.apply(c, h);
            Hazard after = new Hazard(changed.id(), changed.site(), changed.departments(), changed.place(), changed.source(),
                    changed.sourceRef(), changed.grade(), changed.category(), changed.description(), to, changed.five(),
                    changed.supervision(), changed.reportedBy(), changed.reportedAt(), now, changed.photos());
            Schedule old = HazardRows.schedule(c, id);
            HazardRows.update(c, after, schedule(after, old.noticeStep()));
            HazardRows.appendEvent(c, id, type, a.user(), now, from, to, diff(h, after), blankToNull(note));
            Counter.builder("safegrid.hazard.transitions").tag("to", type.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry).increment();
            return after;
        }, false);
    }

    private Hazard load(Connection c, String id) throws SQLException {
        return HazardRows.get(c, id, true).orElseThrow(() -> new NoSuchElementException("no such hazard: " + id));
    }

    /** The scanner's columns for a hazard as it now stands. */
    private Schedule schedule(Hazard h, int step) {
        boolean runs = h.state().deadlineRuns() || h.supervision() != null && h.state().open() && h.state() != HazardState.SUBMITTED;
        Instant due = runs ? h.effectiveDeadline() : null;
        if (due == null) {
            return new Schedule(null, null, step);
        }
        int levels = NoticeLadder.levels(config.current().grid(), h.site()).size();
        Instant next = ladder.at(due, step, levels);
        return new Schedule(due.toEpochMilli(), next == null ? null : next.toEpochMilli(), step);
    }

    private static Map<String, String[]> diff(Hazard a, Hazard b) {
        Map<String, String[]> m = new LinkedHashMap<>();
        put(m, "state", a.state().id(), b.state().id());
        put(m, "responsible", a.five().responsible(), b.five().responsible());
        put(m, "measures", a.five().measures(), b.five().measures());
        put(m, "fundsYuan", str(a.five().fundsYuan()), str(b.five().fundsYuan()));
        put(m, "deadline", str(a.five().deadline()), str(b.five().deadline()));
        put(m, "emergencyPlan", a.five().emergencyPlan(), b.five().emergencyPlan());
        put(m, "photos", String.valueOf(a.photos().size()), String.valueOf(b.photos().size()));
        return m;
    }

    private static void put(Map<String, String[]> m, String k, String a, String b) {
        if (!Objects.equals(a, b)) {
            m.put(k, new String[] {a, b});
        }
    }

    private static String str(Object o) { return o == null ? null : o.toString(); }

    private static Hazard with(Hazard h, HazardState state, Supervision s, List<PhotoRef> photos) {
        return new Hazard(h.id(), h.site(), h.departments(), h.place(), h.source(), h.sourceRef(), h.grade(), h.category(),
                h.description(), state, h.five(), s, h.reportedBy(), h.reportedAt(), h.updatedAt(), photos);
    }

    private static void checkFive(HazardGrade grade, FiveMeasures f, Instant now) {
        if (f == null) {
            f = FiveMeasures.none();
        }
        List<String> missing = f.missing();
        if (grade == HazardGrade.MAJOR && !missing.isEmpty()) {
            throw new HazardRefused(Kind.INVALID, "hazardFiveMeasures", "a 重大 hazard needs all five of 五落实 "
                    + "(responsible, measures, fundsYuan, deadline, emergencyPlan); missing: " + String.join(", ", missing));
        }
        if (missing.contains("responsible") || missing.contains("deadline")) {
            throw new HazardRefused(Kind.INVALID, "hazardResponsibleDeadline", "a responsible person and a deadline are required");
        }
        if (f.fundsYuan() != null && f.fundsYuan() < 0) {
            throw new HazardRefused(Kind.INVALID, "hazardFunds", "funds cannot be negative");
        }
        if (!f.deadline().isAfter(now)) {
            throw new HazardRefused(Kind.INVALID, "hazardDeadlinePast", "the deadline " + f.deadline() + " is not in the future");
        }
    }

    private static FiveMeasures trimmed(FiveMeasures f) {
        return new FiveMeasures(strip(f.responsible()), blankToNull(f.measures()), f.fundsYuan(), f.deadline(),
                blankToNull(f.emergencyPlan()));
    }

    /** Checks every photo before anything is written: size, count, and that its bytes are an accepted image. */
    private List<ImageType> checkPhotos(List<PhotoUpload> photos, int already) {
        if (already + photos.size() > settings.photosPerHazard()) {
            throw new HazardRefused(Kind.INVALID, "hazardPhotoCount", "at most " + settings.photosPerHazard()
                    + " photos per hazard");
        }
        List<ImageType> out = new ArrayList<>();
        for (PhotoUpload p : photos) {
            if (p.stage() != null && !STAGES.contains(p.stage())) {
                throw new HazardRefused(Kind.INVALID, "hazardPhotoStage", "photo stage must be before, after or evidence");
            }
            if (p.data() == null || p.data().length == 0) {
                throw new HazardRefused(Kind.INVALID, "hazardPhotoType", "an empty photo");
            }
            if (p.data().length > settings.photoMaxBytes()) {
                throw new HazardRefused(Kind.INVALID, "hazardPhotoTooLarge", "a photo of " + p.data().length
                        + " bytes; at most " + settings.photoMaxBytes() + " are accepted");
            }
            ImageType t = ImageType.of(p.data()).filter(x -> settings.photoTypes().contains(x.id()))
                    .orElseThrow(() -> new HazardRefused(Kind.INVALID, "hazardPhotoType",
                            "not an accepted image (" + String.join(", ", settings.photoTypes()) + ")"));
            out.add(t);
        }
        return out;
    }

    private List<PhotoRef> storePhotos(Connection c, String hazardId, List<PhotoUpload> photos, List<ImageType> types,
                                       String user, Instant now, String defaultStage) throws SQLException {
        List<PhotoRef> refs = new ArrayList<>();
        for (int i = 0; i < photos.size(); i++) {
            PhotoUpload p = photos.get(i);
            String stage = p.stage() == null ? defaultStage : p.stage();
            PhotoRef ref = new PhotoRef(java.util.UUID.randomUUID().toString(), stage, types.get(i).contentType(),
                    p.data().length, user, now);
            HazardRows.insertPhoto(c, hazardId, ref, p.data());
            refs.add(ref);
        }
        return refs;
    }

    private String placeOf(Hazard h) {
        Grid grid = config.current().grid();
        String name = grid.node(h.site()).map(GridNode::name).orElse(h.site().id());
        return h.place() == null || h.place().isBlank() ? name : name + " " + h.place();
    }

    private static String blankToNull(String s) { return s == null || s.isBlank() ? null : s.strip(); }

    private static String strip(String s) { return s == null ? null : s.strip(); }

    private <T> T read(HazardDatabase.Work<T> w) {
        return db.read("hazard store", w);
    }

    private <T> T write(HazardDatabase.Work<T> w, boolean newHazard) {
        synchronized (writes) {
            Connection c = null;
            boolean broken = false;
            long seqBefore = seq.get();
            try {
                c = db.take();
                T out = w.run(c);
                c.commit();
                if (newHazard) {
                    Counter.builder("safegrid.hazard.reported").register(registry).increment();
                }
                wakeDelivery();
                return out;
            } catch (SQLException e) {
                broken = true;
                rollback(c, seqBefore);
                throw new IllegalStateException("hazard store: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                rollback(c, seqBefore);
                throw e;
            } finally {
                db.release(c, broken);
            }
        }
    }

    private void rollback(Connection c, long seqBefore) {
        seq.set(seqBefore);
        if (c == null) {
            return;
        }
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (scanner != null) {
            scanner.shutdownNow();
        }
        if (delivery != null) {
            delivery.shutdownNow();
        }
        if (db != null) {
            db.close();
        }
    }
}
