package io.safegrid.ingest.gb28181.device;

import io.safegrid.model.grid.GridPath;

/**
 * One channel (camera) from a device's Catalog answer.
 *
 * @param grid   where the config places it, or null when unbound (an operator must place it)
 * @param status {@code ON} or {@code OFF} as the device reports it
 */
public record CatalogChannel(String id, String deviceId, String name, String manufacturer, String model,
                             String status, String parentId, GridPath grid) {
    public boolean bound() { return grid != null; }
}
