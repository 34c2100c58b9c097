package io.safegrid.ingest.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.safegrid.ingest.intake.ReadingIntake;

/** Aggregates request bodies up to the payload limit; a larger one gets a JSON 413 and the connection is closed. */
final class LimitedAggregator extends HttpObjectAggregator {
    private final ReadingIntake intake;
    private final int max;

    LimitedAggregator(int maxPayloadBytes, ReadingIntake intake) {
        super(maxPayloadBytes);
        this.max = maxPayloadBytes;
        this.intake = intake;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        intake.metrics().rejected(HttpIngestHandler.PROTOCOL, "too-large", ctx.channel().remoteAddress(),
                "body over " + max + " bytes");
        // after the responses to earlier pipelined requests, then close
        intake.reply(ctx.channel(), HttpIngestHandler.PROTOCOL, () -> JsonResponses.send(ctx,
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, JsonResponses.error("too-large", "request body over " + max + " bytes"), false));
    }
}
