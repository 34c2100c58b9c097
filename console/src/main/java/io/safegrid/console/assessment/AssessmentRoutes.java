package io.safegrid.console.assessment;

import com.fasterxml.jackson.databind.JsonNode;
import io.safegrid.config.ConfigSource;
import io.safegrid.console.http.Api;
import io.safegrid.console.http.HttpError;
import io.safegrid.console.http.Request;
import io.safegrid.console.http.Response;
import io.safegrid.console.http.Router;
import io.safegrid.console.session.Auth;
import io.safegrid.console.session.Principal;
import io.safegrid.console.session.Role;
import io.safegrid.console.session.Scope;
import io.safegrid.model.assessment.Accident;
import io.safegrid.model.assessment.AccidentSeverity;
import io.safegrid.model.assessment.Assessments;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.Actor;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assessment API (考核): the scorecard of the caller's subtree (or a node in it) for a period of
 * county days, and the accidents behind the veto, which only county-level users record.
 */
public final class AssessmentRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(AssessmentRoutes.class);

    private final Auth auth;
    private final Api api;
    private final ConfigSource config;
    private final Supplier<Assessments> assessments;
    private final Clock clock;
    private final ZoneId zone;

    public AssessmentRoutes(Auth auth, Api api, ConfigSource config, Supplier<Assessments> assessments, Clock clock,
                            ZoneId zone) {
        this.auth = auth;
        this.api = api;
        this.config = config;
        this.assessments = assessments;
        this.clock = clock;
        this.zone = zone;
    }

    public void routes(Router router) {
        router.get("/api/v1/assessment", auth.guard(this::scorecard));
        router.get("/api/v1/accidents", auth.guard(this::accidents));
        router.post("/api/v1/accidents", auth.guard(this::record));
        router.get("/api/v1/accidents/{id}/history", auth.guard(this::history));
    }

    private Assessments service() {
        Assessments a = assessments.get();
        if (a == null) {
            throw new HttpError(503, "no assessment on this node");
        }
        return a;
    }

    private Response scorecard(Request r, Principal u) throws Exception {
        GridPath node = Scope.narrow(u, r.param("node") == null ? null : Api.path(r.param("node"), "node"));
        Instant[] period = period(r);
        return api.ok(call(() -> service().assess(node, period[0], period[1])));
    }

    private Response accidents(Request r, Principal u) throws Exception {
        GridPath node = Scope.narrow(u, r.param("node") == null ? null : Api.path(r.param("node"), "node"));
        Instant[] period = period(r);
        return api.ok(Map.of("items", call(() -> service().accidents(node, period[0], period[1]))));
    }

    /** Only the county level records accidents: the veto weighs on every level below it. */
    private Response record(Request r, Principal u) throws Exception {
        if (!countyLevel(u)) {
            throw new HttpError(403, "accidentCountyOnly", "only county users record accidents");
        }
        JsonNode b = api.body(r);
        String siteText = Api.text(b, "site", Api.NAME_CHARS);
        if (siteText == null) {
            throw new HttpError(400, "accidentFields", "site, severity, time and description are required");
        }
        GridPath site = Api.path(siteText, "site");
        if (!u.sees(site)) {
            throw new HttpError(404, "no such grid node in your scope: " + site);
        }
        AccidentSeverity severity;
        try {
            severity = AccidentSeverity.valueOf(String.valueOf(Api.text(b, "severity", 20)).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "accidentFields", "severity is fatal, serious or minor");
        }
        int deaths = b.path("deaths").asInt(0);
        Instant at = Api.instant(Api.text(b, "occurredAt", 40), "occurredAt");
        Accident a = call(() -> service().recordAccident(new Actor(u.name(), u.scope(), true), site, severity, deaths, at,
                Api.text(b, "description", Api.NOTE_CHARS)));
        LOG.warn("{} recorded accident {} ({}) at {}", u.name(), a.id(), severity, site);
        return api.status(201, a);
    }

    private Response history(Request r, Principal u) throws Exception {
        String id = r.param("id");
        Accident a = call(() -> service().accidents(u.scope(), Instant.EPOCH, Instant.parse("9999-01-01T00:00:00Z")))
                .stream().filter(x -> x.id().equals(id)).findFirst()
                .orElseThrow(() -> new HttpError(404, "no such accident: " + id));
        return api.ok(Map.of("accident", a, "history", call(() -> service().accidentHistory(a.id()))));
    }

    private boolean countyLevel(Principal u) {
        return (u.role() == Role.ADMIN || u.role() == Role.COUNTY_OPERATOR) && u.scope().isRoot();
    }

    /**
     * {@code from} and {@code to} as county days (to inclusive), or {@code quarter=2026-Q4}; default the
     * current quarter so far.
     */
    private Instant[] period(Request r) {
        try {
            String q = r.param("quarter");
            LocalDate first;
            LocalDate last;
            if (q != null && !q.isBlank()) {
                String[] p = q.trim().toUpperCase(Locale.ROOT).split("-Q");
                int quarter = Integer.parseInt(p[1]);
                if (quarter < 1 || quarter > 4) {
                    throw new NumberFormatException();
                }
                first = LocalDate.of(Integer.parseInt(p[0]), quarter * 3 - 2, 1);
                last = first.plusMonths(3).minusDays(1);
            } else if (r.param("from") != null) {
                first = LocalDate.parse(r.param("from"));
                last = r.param("to") == null ? first : LocalDate.parse(r.param("to"));
            } else {
                LocalDate today = LocalDate.now(clock.withZone(zone));
                first = today.withMonth((today.getMonthValue() - 1) / 3 * 3 + 1).withDayOfMonth(1);
                last = today;
            }
            if (last.isBefore(first)) {
                throw new HttpError(400, "periodOrder", "the period ends before it starts");
            }
            return new Instant[] {first.atStartOfDay(zone).toInstant(), last.plusDays(1).atStartOfDay(zone).toInstant()};
        } catch (DateTimeParseException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new HttpError(400, "period", "from/to are days like 2026-10-01, quarter like 2026-Q4");
        }
    }

    static <T> T call(Supplier<T> s) {
        try {
            return s.get();
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, e.getMessage());
        } catch (NoSuchElementException e) {
            throw new HttpError(404, e.getMessage());
        } catch (IllegalStateException e) {
            throw new HttpError(503, e.getMessage());
        }
    }

    static List<String> formats() {
        return List.of("pdf", "xlsx");
    }
}
