package io.safegrid.ingest.http;

import io.netty.channel.ChannelPipeline;
import io.safegrid.config.IngestLimits;
import io.safegrid.ingest.camera.SnapshotIntake;
import io.safegrid.ingest.directory.DeviceDirectory;
import io.safegrid.ingest.guard.BodyBudget;
import io.safegrid.ingest.intake.ReadingIntake;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Adds, after an HTTP server codec, the request guard (limits and authentication on the request's
 * head, the body budget and deadline), the body aggregator and the reading endpoint.
 */
public final class HttpIngest {
    private HttpIngest() {
    }

    /**
     * Adds the handlers for the reading endpoint, plus {@code POST /cameras/{id}/snapshots} (bodies up
     * to {@code maxSnapshotBytes}) when {@code snapshots} is not null.
     */
    public static void addHandlers(ChannelPipeline p, int maxPayloadBytes, int maxSnapshotBytes, Supplier<DeviceDirectory> directory,
                                   ReadingIntake intake, Clock clock, SnapshotIntake snapshots, Supplier<IngestLimits> limits,
                                   BodyBudget budget) {
        p.addLast(new HttpRequestGuard(limits, maxPayloadBytes, maxSnapshotBytes, directory, snapshots, intake, budget));
        if (snapshots == null) {
            p.addLast(new LimitedAggregator(maxPayloadBytes, maxPayloadBytes, intake), new HttpIngestHandler(directory, intake, clock));
            return;
        }
        p.addLast(new LimitedAggregator(maxPayloadBytes, maxSnapshotBytes, intake), new SnapshotUploadHandler(snapshots, intake),
                new HttpIngestHandler(directory, intake, clock, maxPayloadBytes));
    }
}
