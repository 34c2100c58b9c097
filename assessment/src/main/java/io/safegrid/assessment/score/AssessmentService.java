package io.safegrid.assessment.score;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.safegrid.assessment.indicator.Measurement;
import io.safegrid.assessment.indicator.Progress;
import io.safegrid.assessment.indicator.Sources;
import io.safegrid.assessment.indicator.Unit;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.model.assessment.Accident;
import io.safegrid.model.assessment.AccidentSeverity;
import io.safegrid.model.assessment.Assessments;
import io.safegrid.model.assessment.Scorecard;
import io.safegrid.model.assessment.UnitScore;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.Actor;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The assessment (考核): measures a scope's units from the platform's records, scores and ranks them. */
public final class AssessmentService implements Assessments {
    private static final Logger LOG = LoggerFactory.getLogger(AssessmentService.class);
    /** A longer period is refused: a year is the longest a supervision cycle is assessed over. */
    static final Duration MAX_PERIOD = Duration.ofDays(366);

    private final ConfigSource config;
    private final Supplier<Sources> sources;
    private final ZoneId zone;
    private final Timer timer;

    public AssessmentService(ConfigSource config, Supplier<Sources> sources, ZoneId zone, MeterRegistry registry) {
        this.config = config;
        this.sources = sources;
        this.zone = zone;
        this.timer = Timer.builder("safegrid.assessment.duration").description("time to assess a scope for a period")
                .register(registry);
    }

    @Override
    public Scorecard assess(GridPath scope, Instant from, Instant to) {
        return scorecard(scope, from, to, Progress.NONE);
    }

    public Scorecard scorecard(GridPath scope, Instant from, Instant to, Progress progress) {
        if (Duration.between(from, to).compareTo(MAX_PERIOD) > 0) {
            throw new IllegalArgumentException("a period is at most a year");
        }
        long t0 = System.nanoTime();
        Deployment d = config.current();
        List<Unit> units = Measurement.unitsOf(d.grid(), scope);
        Measurement m = new Measurement(d, scope, units, from, to).run(sources.get(), zone, progress, 1.0);
        Scorecard card = scorecard(d, scope, m);
        long ns = System.nanoTime() - t0;
        timer.record(Duration.ofNanos(ns));
        LOG.info("assessed {} for {} .. {}: {} units in {} ms", scope, from, to, units.size(), ns / 1_000_000);
        return card;
    }

    /** Scores what {@code m} counted: the scope itself as the total, its townships, departments and villages ranked. */
    public static Scorecard scorecard(Deployment d, GridPath scope, Measurement m) {
        Scoring scoring = new Scoring(d.assessment());
        UnitScore total = null;
        List<UnitScore> units = new ArrayList<>();
        for (var t : m.tallies().values()) {
            UnitScore s = scoring.score(t);
            if (t.unit.path().equals(scope)) {
                total = s;
            } else if (Measurement.ranked(t.unit.kind())) {
                units.add(s);
            }
        }
        return new Scorecard(scope, m.from(), m.to(), total, Ranking.rank(units));
    }

    @Override
    public Accident recordAccident(Actor actor, GridPath site, AccidentSeverity severity, int deaths, Instant occurredAt,
                                   String description) {
        if (site == null || !config.current().grid().contains(site)) {
            throw new IllegalArgumentException("no such grid node: " + site);
        }
        return book().record(actor, site, severity, deaths, occurredAt, description);
    }

    @Override
    public List<Accident> accidents(GridPath subtree, Instant from, Instant to) {
        return book().within(subtree, from, to);
    }

    @Override
    public List<String> accidentHistory(String id) {
        return book().history(id);
    }

    private io.safegrid.assessment.accident.AccidentBook book() {
        var b = sources.get().accidents();
        if (b == null) {
            throw new IllegalStateException("no accident register on this node");
        }
        return b;
    }
}
