package io.safegrid.ingest.gb28181.cascade;

import io.safegrid.ingest.gb28181.device.GbDevice;
import io.safegrid.ingest.gb28181.live.PlaySession;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/** What the cascade needs of this platform's own side: its devices, and their video relayed as PS. */
public interface Lower {
    List<GbDevice> devices();

    boolean registered(String deviceId);

    /** INVITEs the channel's device and writes its PS bytes to {@code out} as they come. */
    PlaySession relay(String channelId, OutputStream out) throws Exception;

    void stop(PlaySession session);

    /** A camera of {@code cameras:} by its id. */
    default Optional<io.safegrid.model.device.Camera> camera(String cameraId) {
        return Optional.empty();
    }

    /** The device a channel (or a device registered as one camera) belongs to. */
    default Optional<GbDevice> deviceOf(String channelId) {
        return devices().stream()
                .filter(d -> d.id().equals(channelId) || d.channels().stream().anyMatch(c -> c.id().equals(channelId)))
                .findFirst();
    }
}
