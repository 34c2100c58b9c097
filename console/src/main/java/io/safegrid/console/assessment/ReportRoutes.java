package io.safegrid.console.assessment;

import com.fasterxml.jackson.databind.JsonNode;
import io.safegrid.console.http.Api;
import io.safegrid.console.http.HttpError;
import io.safegrid.console.http.Request;
import io.safegrid.console.http.Response;
import io.safegrid.console.http.Router;
import io.safegrid.console.session.Auth;
import io.safegrid.console.session.Principal;
import io.safegrid.console.session.Scope;
import io.safegrid.model.assessment.ReportJob;
import io.safegrid.model.assessment.ReportSpan;
import io.safegrid.model.assessment.Reports;
import io.safegrid.model.grid.GridPath;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The report API (汇总汇报): start a report of a node in the caller's scope, poll its progress, read
 * its figures and download it as PDF or xlsx. A job of a node outside the caller's scope is answered
 * like one that does not exist.
 */
public final class ReportRoutes {
    /** How long a request for a report's file waits for it to be made (the console's request deadline is longer). */
    static final java.time.Duration MADE_WITHIN = java.time.Duration.ofSeconds(60);
    private final Auth auth;
    private final Api api;
    private final Supplier<Reports> reports;
    private final Clock clock;
    private final ZoneId zone;

    public ReportRoutes(Auth auth, Api api, Supplier<Reports> reports, Clock clock, ZoneId zone) {
        this.auth = auth;
        this.api = api;
        this.reports = reports;
        this.clock = clock;
        this.zone = zone;
    }

    public void routes(Router router) {
        router.post("/api/v1/reports", auth.guard(this::start));
        router.get("/api/v1/reports/file", auth.guard(this::made));
        router.get("/api/v1/reports/{id}", auth.guard(this::get));
        router.get("/api/v1/reports/{id}/{file}", auth.guard(this::file));
    }

    private Reports service() {
        Reports r = reports.get();
        if (r == null) {
            throw new HttpError(503, "no reports on this node");
        }
        return r;
    }

    private Response start(Request r, Principal u) throws Exception {
        JsonNode b = api.body(r);
        String nodeText = Api.text(b, "node", Api.NAME_CHARS);
        GridPath node = Scope.narrow(u, nodeText == null ? null : Api.path(nodeText, "node"));
        ReportSpan span;
        LocalDate day;
        try {
            span = ReportSpan.valueOf(String.valueOf(Api.text(b, "span", 20)).toUpperCase(Locale.ROOT));
            String d = Api.text(b, "day", 20);
            day = d == null ? LocalDate.now(clock.withZone(zone)) : LocalDate.parse(d);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new HttpError(400, "reportFields", "span is daily, weekly or monthly; day like 2026-10-15");
        }
        ReportJob j = AssessmentRoutes.call(() -> service().start(node, span, day));
        return api.status(202, j);
    }

    /**
     * A report made on request and answered as its file when done: the stable link a scheduled notice
     * carries ({@code ?node=&span=&day=&format=pdf}), good however long after it was sent.
     */
    private Response made(Request r, Principal u) throws Exception {
        GridPath node = Scope.narrow(u, r.param("node") == null ? null : Api.path(r.param("node"), "node"));
        ReportSpan span;
        LocalDate day;
        try {
            span = ReportSpan.valueOf(String.valueOf(r.param("span")).toUpperCase(Locale.ROOT));
            day = LocalDate.parse(String.valueOf(r.param("day")));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new HttpError(400, "reportFields", "span is daily, weekly or monthly; day like 2026-10-15");
        }
        String format = r.param("format") == null ? "pdf" : r.param("format");
        if (!AssessmentRoutes.formats().contains(format)) {
            throw new HttpError(400, "a report is pdf or xlsx");
        }
        ReportJob j = AssessmentRoutes.call(() -> service().start(node, span, day));
        long end = System.nanoTime() + MADE_WITHIN.toNanos();
        while ("running".equals(j.state()) && System.nanoTime() < end) {
            Thread.sleep(100);
            j = service().job(j.id()).orElseThrow();
        }
        if (!j.done()) {
            throw new HttpError(503, "the report was not made in time: " + (j.error() == null ? j.phase() : j.error()));
        }
        return download(j, format, r.param("lang"));
    }

    private ReportJob visible(Principal u, String id) {
        ReportJob j = service().job(id).orElseThrow(() -> new HttpError(404, "no such report: " + id));
        if (!u.sees(j.node())) {
            throw new HttpError(404, "no such report: " + id);
        }
        return j;
    }

    private Response get(Request r, Principal u) throws Exception {
        ReportJob j = visible(u, r.param("id"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("job", j);
        out.put("report", j.done() ? service().report(j.id()).orElse(null) : null);
        return api.ok(out);
    }

    private Response file(Request r, Principal u) {
        ReportJob j = visible(u, r.param("id"));
        String file = r.param("file");
        String format = file.startsWith("report.") ? file.substring("report.".length()) : "";
        if (!AssessmentRoutes.formats().contains(format)) {
            throw new HttpError(404, "a report is .pdf or .xlsx");
        }
        return download(j, format, r.param("lang"));
    }

    private Response download(ReportJob j, String format, String lang) {
        byte[] body = service().file(j.id(), format, lang)
                .orElseThrow(() -> new HttpError(409, "reportNotReady", "the report is not made yet"));
        String type = format.equals("pdf") ? "application/pdf"
                : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        String name = "report-" + j.node().id() + "-" + j.span().name().toLowerCase(Locale.ROOT) + "-" + j.day() + "." + format;
        return Response.bytes(type, body).with("Content-Disposition", "attachment; filename=\"" + name + "\"");
    }
}
