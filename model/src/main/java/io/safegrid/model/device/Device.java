package io.safegrid.model.device;

import io.safegrid.model.grid.GridPath;

/** Something in the field that reports to SafeGrid, attached to one grid node. */
public sealed interface Device permits Sensor, Camera {
    /** Unique across the deployment; the bus keys by it, so per-device order holds. */
    String id();

    String name();

    /** The grid node (enterprise or site) the device belongs to. */
    GridPath site();
}
