package io.safegrid.ingest.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.safegrid.ingest.intake.ReadingIntake;

/**
 * Aggregates request bodies up to the payload limit (snapshot uploads: up to the snapshot limit);
 * a larger one gets a JSON 413 and the connection is closed.
 */
final class LimitedAggregator extends HttpObjectAggregator {
    private final ReadingIntake intake;
    private final int max;
    private final int maxSnapshot;

    LimitedAggregator(int maxPayloadBytes, int maxSnapshotBytes, ReadingIntake intake) {
        super(Math.max(maxPayloadBytes, maxSnapshotBytes));
        this.max = maxPayloadBytes;
        this.maxSnapshot = maxSnapshotBytes;
        this.intake = intake;
    }

    /** The limit for this request's path: a declared length over it is refused before the body is read. */
    private int limitFor(HttpMessage m) {
        return m instanceof HttpRequest r && SnapshotUploadHandler.isSnapshotPath(r.uri()) ? maxSnapshot : max;
    }

    @Override
    protected boolean isContentLengthInvalid(HttpMessage start, int maxContentLength) {
        return HttpUtil.getContentLength(start, -1L) > Math.min(maxContentLength, limitFor(start));
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        boolean snapshot = limitFor(oversized) == maxSnapshot && oversized instanceof HttpRequest r
                && SnapshotUploadHandler.isSnapshotPath(r.uri());
        int limit = snapshot ? maxSnapshot : max;
        String protocol = snapshot ? SnapshotUploadHandler.PROTOCOL : HttpIngestHandler.PROTOCOL;
        intake.metrics().rejected(protocol, "too-large", ctx.channel().remoteAddress(), "body over " + limit + " bytes");
        // after the responses to earlier pipelined requests, then close
        intake.reply(ctx.channel(), protocol, () -> JsonResponses.send(ctx,
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, JsonResponses.error("too-large", "request body over " + limit + " bytes"), false));
    }
}
