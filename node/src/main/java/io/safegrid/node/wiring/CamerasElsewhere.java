package io.safegrid.node.wiring;

import io.safegrid.config.Deployment;
import io.safegrid.config.Gb28181Config;
import io.safegrid.model.device.CameraSource;

/**
 * Snapshot uploads and GB/T 28181 channels bound to cameras come in through ingest but are decoded
 * beside their analysis (frames never cross the bus), so only a node that runs both takes them. An
 * ingest node without analytics answers snapshot uploads 404 and plays no bound channel: say so at
 * start and in /health, not only in the cameras' silence.
 */
final class CamerasElsewhere {
    private CamerasElsewhere() {
    }

    /** What an ingest node without analytics does not take of {@code d}; null when nothing. */
    static String note(Deployment d) {
        long snapshots = d.cameras().stream()
                .filter(c -> c.source() != null && c.source().mode() == CameraSource.Mode.SNAPSHOT).count();
        long channels = d.gb28181().devices().stream().flatMap(x -> x.channels().stream())
                .map(Gb28181Config.Channel::camera).filter(c -> c != null).count();
        if (snapshots == 0 && channels == 0) {
            return null;
        }
        return snapshots + " snapshot camera(s) and " + channels + " GB/T 28181 channel(s) bound to cameras are taken only"
                + " by a node that runs ingest and analytics; this node runs ingest without analytics: it answers their"
                + " uploads 404 and plays none of those channels";
    }
}
