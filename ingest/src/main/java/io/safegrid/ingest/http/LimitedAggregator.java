package io.safegrid.ingest.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.safegrid.ingest.intake.IngestMetrics;

/** Aggregates request bodies up to the payload limit; a larger one gets a JSON 413 and the connection is closed. */
final class LimitedAggregator extends HttpObjectAggregator {
    private final IngestMetrics metrics;
    private final int max;

    LimitedAggregator(int maxPayloadBytes, IngestMetrics metrics) {
        super(maxPayloadBytes);
        this.max = maxPayloadBytes;
        this.metrics = metrics;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        metrics.rejected(HttpIngestHandler.PROTOCOL, "too-large", ctx.channel().remoteAddress(), "body over " + max + " bytes");
        JsonResponses.send(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                JsonResponses.error("too-large", "request body over " + max + " bytes"), false);
    }
}
