package io.safegrid.supervision;

import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.model.hazard.HazardRegister;
import io.safegrid.supervision.redline.RedLineService;
import io.safegrid.supervision.store.SupervisionDatabase;
import io.safegrid.supervision.task.InspectionService;
import java.time.Clock;
import java.util.function.Supplier;

/** The stage as the node runs it: one database, the inspections (PDCA) and the red-line register on it. */
public final class Supervision implements AutoCloseable {
    private final SupervisionDatabase db;
    private final InspectionService inspections;
    private final RedLineService redLines;

    private Supervision(SupervisionDatabase db, InspectionService inspections, RedLineService redLines) {
        this.db = db;
        this.inspections = inspections;
        this.redLines = redLines;
    }

    /** Opens (migrating) the database; hazards are raised and accepted through {@code hazards}. */
    public static Supervision open(ConfigSource config, SupervisionSettings s, Clock clock, MeterRegistry registry,
                                   Supplier<HazardRegister> hazards) {
        SupervisionDatabase db = SupervisionDatabase.open(s.url(), s.user(), s.password());
        return new Supervision(db, new InspectionService(config, db, s, clock, registry, hazards),
                new RedLineService(config, db, clock, registry));
    }

    /** Plans, tasks and completion; also the {@link io.safegrid.model.supervision.InspectionProgress} the assessment reads. */
    public InspectionService inspections() { return inspections; }

    public RedLineService redLines() { return redLines; }

    @Override
    public void close() {
        db.close();
    }
}
