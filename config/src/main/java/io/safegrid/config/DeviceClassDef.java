package io.safegrid.config;

import java.time.Duration;

/**
 * A class of device that shares rules and an offline timeout, e.g. {@code coal-working-face}
 * (methane T1 at a working face) or {@code tank-level}.
 *
 * @param offlineAfter silence after which a device of this class is offline
 */
public record DeviceClassDef(String id, String description, Duration offlineAfter) {
}
