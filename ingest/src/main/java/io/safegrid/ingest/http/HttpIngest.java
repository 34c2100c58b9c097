package io.safegrid.ingest.http;

import io.netty.channel.ChannelPipeline;
import io.safegrid.ingest.camera.SnapshotIntake;
import io.safegrid.ingest.directory.DeviceDirectory;
import io.safegrid.ingest.intake.ReadingIntake;
import java.time.Clock;
import java.util.function.Supplier;

/** Adds the body aggregator (with the payload limit) and the reading endpoint after an HTTP server codec. */
public final class HttpIngest {
    private HttpIngest() {
    }

    public static void addHandlers(ChannelPipeline p, int maxPayloadBytes, Supplier<DeviceDirectory> directory,
                                   ReadingIntake intake, Clock clock) {
        p.addLast(new LimitedAggregator(maxPayloadBytes, maxPayloadBytes, intake), new HttpIngestHandler(directory, intake, clock));
    }

    /**
     * As above, plus {@code POST /cameras/{id}/snapshots} (bodies up to {@code maxSnapshotBytes})
     * when {@code snapshots} is not null.
     */
    public static void addHandlers(ChannelPipeline p, int maxPayloadBytes, int maxSnapshotBytes, Supplier<DeviceDirectory> directory,
                                   ReadingIntake intake, Clock clock, SnapshotIntake snapshots) {
        if (snapshots == null) {
            addHandlers(p, maxPayloadBytes, directory, intake, clock);
            return;
        }
        p.addLast(new LimitedAggregator(maxPayloadBytes, maxSnapshotBytes, intake), new SnapshotUploadHandler(snapshots, intake),
                new HttpIngestHandler(directory, intake, clock, maxPayloadBytes));
    }
}
