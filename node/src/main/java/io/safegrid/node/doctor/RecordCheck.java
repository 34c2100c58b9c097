package io.safegrid.node.doctor;

import io.safegrid.config.Deployment;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The record's InfluxDB, where {@code record.target} is influxdb: the host resolves and {@code /ping}
 * answers 204. A starting node refuses a URL that is wrong (unknown host, not an InfluxDB); one that
 * is only down it starts with, spooling the record until it answers ({@code strict} false).
 */
public final class RecordCheck implements Check {
    static final String KEY = "record.url";
    private final boolean strict;

    public RecordCheck(boolean strict) { this.strict = strict; }

    @Override
    public String titleKey() { return "check.record"; }

    @Override
    public List<Finding> run(Deployment d, Set<String> roles) {
        if (!roles.contains("alerting") || !"influxdb".equals(d.record().target()) || d.record().url() == null) {
            return List.of();
        }
        String url = d.record().url();
        URI base;
        try {
            base = URI.create(url.endsWith("/") ? url : url + "/");
        } catch (IllegalArgumentException e) {
            return List.of(Finding.fail(KEY, "record.badurl", url));
        }
        if (base.getHost() == null) {
            return List.of(Finding.fail(KEY, "record.badurl", url));
        }
        try {
            InetAddress.getByName(base.getHost());
        } catch (UnknownHostException e) {
            return List.of(Finding.fail(KEY, "record.unknownhost", url, base.getHost()));
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(base.resolve("ping")).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() == 204) {
                return List.of(Finding.ok(KEY, "record.ok", url));
            }
            return List.of(Finding.fail(KEY, "record.notinflux", url, Integer.toString(r.statusCode())));
        } catch (ConnectException | HttpTimeoutException e) {
            return List.of(strict ? Finding.fail(KEY, "record.unreachable", url) : Finding.warn(KEY, "record.unreachable", url));
        } catch (java.io.IOException e) {
            return List.of(strict ? Finding.fail(KEY, "record.unreachable", url) : Finding.warn(KEY, "record.unreachable", url));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
