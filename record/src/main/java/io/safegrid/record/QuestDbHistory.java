package io.safegrid.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.safegrid.model.grid.GridKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** History over QuestDB's HTTP {@code /exec} SQL endpoint (no extra driver). */
public final class QuestDbHistory implements HistoryQueries {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final String authorization;
    private final ZoneId zone;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param authorization the {@code Authorization} header value, or null where the server asks for none */
    public QuestDbHistory(String url, String authorization, ZoneId zone) {
        this.url = url;
        this.authorization = authorization;
        this.zone = zone;
    }

    @Override
    public List<Sample> raw(String deviceId, String metric, Instant from, Instant to, int limit) {
        String sql = "SELECT timestamp, value FROM reading WHERE device = " + lit(deviceId, "deviceId")
                + " AND metric = " + lit(metric, "metric") + " AND " + range(from, to)
                + " ORDER BY timestamp LIMIT " + Math.max(1, limit);
        List<Sample> out = new ArrayList<>();
        for (JsonNode row : query(sql)) {
            out.add(new Sample(Instant.parse(row.get(0).asText()), row.get(1).asDouble()));
        }
        return out;
    }

    @Override
    public List<Bucket> downsampled(String deviceId, String metric, Instant from, Instant to, Duration step) {
        String sql = "SELECT timestamp, avg(value), min(value), max(value), count() FROM reading WHERE device = "
                + lit(deviceId, "deviceId") + " AND metric = " + lit(metric, "metric") + " AND " + range(from, to)
                + " SAMPLE BY " + stepSeconds(step) + "s ALIGN TO CALENDAR ORDER BY timestamp";
        List<Bucket> out = new ArrayList<>();
        for (JsonNode row : query(sql)) {
            out.add(new Bucket(Instant.parse(row.get(0).asText()), row.get(1).asDouble(), row.get(2).asDouble(),
                    row.get(3).asDouble(), row.get(4).asLong()));
        }
        return out;
    }

    @Override
    public List<DailyCount> alarmsPerDay(GridKind kind, Instant from, Instant to) {
        String tag = HistoryQueries.tagOf(kind);
        String sql = "SELECT timestamp, " + tag + ", count() FROM alarm WHERE type = 'RAISED' AND " + tag
                + " IS NOT NULL AND " + range(from, to) + " SAMPLE BY 1d ALIGN TO CALENDAR TIME ZONE '" + zone.getId()
                + "' ORDER BY timestamp, " + tag;
        List<DailyCount> out = new ArrayList<>();
        for (JsonNode row : query(sql)) {
            LocalDate day = Instant.parse(row.get(0).asText()).atZone(zone).toLocalDate();
            out.add(new DailyCount(day, row.get(1).asText(), row.get(2).asLong()));
        }
        return out;
    }

    private static long stepSeconds(Duration step) {
        if (step == null || step.toSeconds() < 1) {
            throw new IllegalArgumentException("downsampling step must be at least one second");
        }
        return step.toSeconds();
    }

    private static String range(Instant from, Instant to) {
        if (from == null || to == null || !from.isBefore(to)) {
            throw new IllegalArgumentException("time range must have from < to");
        }
        return "timestamp >= '" + from + "' AND timestamp < '" + to + "'";
    }

    /** A SQL string literal; ids are checked and quotes doubled, so input cannot change the query. */
    private static String lit(String value, String what) {
        return "'" + HistoryQueries.checkId(what, value).replace("'", "''") + "'";
    }

    private JsonNode query(String sql) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create(url + "/exec?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
                    .timeout(Duration.ofSeconds(30)).GET();
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(r.body());
            if (r.statusCode() != 200) {
                String error = body.path("error").asText(r.body());
                if (error.contains("does not exist")) {
                    return JSON.createArrayNode(); // nothing recorded yet
                }
                throw new IllegalStateException("history query failed (HTTP " + r.statusCode() + "): " + error);
            }
            return body.path("dataset");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach QuestDB at " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
