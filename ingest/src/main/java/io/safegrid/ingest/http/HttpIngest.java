package io.safegrid.ingest.http;

import io.netty.channel.ChannelPipeline;
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
        p.addLast(new LimitedAggregator(maxPayloadBytes, intake), new HttpIngestHandler(directory, intake, clock));
    }
}
