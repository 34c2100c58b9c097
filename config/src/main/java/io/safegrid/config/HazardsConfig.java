package io.safegrid.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code hazards:}, the hidden-hazard register (隐患排查治理).
 *
 * @param url            JDBC URL of its database; null: an embedded H2 file {@code hazards} in the data dir
 * @param user           database user (PostgreSQL), may be {@code ${ENV}}
 * @param password       database password, may be {@code ${ENV}}
 * @param photoMaxBytes  largest photo accepted (8 MiB: a phone's photo as taken)
 * @param photoTypes     image types accepted, checked from the bytes: jpeg, png, webp
 * @param photosPerHazard most photos one hazard may hold
 * @param warnBefore     how long before a deadline the responsible person is reminded
 * @param climbAfter     how long an overdue hazard waits at one grid level before the next one up is told
 * @param scanEvery      how often deadlines are scanned
 */
public record HazardsConfig(String url, String user, String password, int photoMaxBytes, List<String> photoTypes,
                            int photosPerHazard, Duration warnBefore, Duration climbAfter, Duration scanEvery) {
    public static final List<String> TYPES = List.of("jpeg", "png", "webp");

    public HazardsConfig {
        photoTypes = List.copyOf(photoTypes);
    }

    public static HazardsConfig defaults() {
        return new HazardsConfig(null, null, null, 8 << 20, TYPES, 20, Duration.ofDays(3), Duration.ofDays(1),
                Duration.ofMinutes(1));
    }

    @Override
    public String toString() {
        return "HazardsConfig[" + (url == null ? "embedded" : url) + ", photos ≤ " + photoMaxBytes + " B " + photoTypes + "]";
    }
}
