package io.safegrid.record;

import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The grid tags of a site: the ids of its county, township, village and enterprise, taken from the
 * deployment's grid chain by {@link GridKind}. Cached per site and rebuilt when the config reloads,
 * because every point needs them and the chain walk allocates.
 */
final class GridTags {
    static final String COUNTY = "county";
    static final String TOWNSHIP = "township";
    static final String VILLAGE = "village";
    static final String ENTERPRISE = "enterprise";
    static final String SITE = "site";

    private volatile Deployment deployment;
    private final Map<GridPath, Map<String, String>> cache = new ConcurrentHashMap<>();

    private final java.util.List<Runnable> reloadListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    GridTags(ConfigSource config) {
        this.deployment = config.current();
        config.onChange(d -> {
            deployment = d;
            cache.clear();
            reloadListeners.forEach(Runnable::run);
        });
    }

    /** For caches built on these tags: run after a reload changed the grid. */
    void onReload(Runnable listener) { reloadListeners.add(listener); }

    /** Tags for a site; empty for a null site. A site the grid does not know gets only its {@code site} tag. */
    Map<String, String> of(GridPath site) {
        if (site == null) {
            return Map.of();
        }
        return cache.computeIfAbsent(site, this::build);
    }

    /** Whether the grid knows this site (unknown sites are still recorded, and counted). */
    boolean known(GridPath site) {
        return site != null && deployment.grid().contains(site);
    }

    private Map<String, String> build(GridPath site) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(SITE, site.toString());
        for (GridNode n : deployment.grid().chain(site)) {
            tagName(n.kind()).ifPresent(t -> tags.putIfAbsent(t, n.id()));
        }
        return Map.copyOf(tags);
    }

    /** The tag a grid level is recorded under; departments and sites have none of their own. */
    static Optional<String> tagName(GridKind kind) {
        return switch (kind) {
            case COUNTY -> Optional.of(COUNTY);
            case TOWNSHIP -> Optional.of(TOWNSHIP);
            case VILLAGE -> Optional.of(VILLAGE);
            case ENTERPRISE -> Optional.of(ENTERPRISE);
            case DEPARTMENT, SITE -> Optional.empty();
        };
    }
}
