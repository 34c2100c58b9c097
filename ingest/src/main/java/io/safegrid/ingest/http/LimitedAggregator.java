package io.safegrid.ingest.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.safegrid.ingest.intake.ReadingIntake;
import java.util.concurrent.TimeUnit;

/**
 * Aggregates request bodies up to the payload limit (snapshot uploads: up to the snapshot limit);
 * a larger one gets a JSON 413 and the connection is closed once the client has read it.
 */
final class LimitedAggregator extends HttpObjectAggregator {
    /** How long a refused client may go on sending before the connection is closed anyway. */
    private static final int CLOSE_GRACE_SECONDS = 5;
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
        // after the responses to earlier pipelined requests; then end our side but keep reading (the
        // aggregator discards the rest of the body): closing while the client still sends would reset
        // the connection, and the client would lose the 413 before reading it
        intake.reply(ctx.channel(), protocol, () -> JsonResponses.send(ctx,
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, JsonResponses.error("too-large", "request body over " + limit + " bytes"),
                true, HttpHeaderNames.CONNECTION.toString(), HttpHeaderValues.CLOSE.toString())
                .addListener(f -> endAfterResponse(ctx)));
    }

    /** Half-closes once the 413 is out; the client's close (or a short grace) ends the connection. */
    static void endAfterResponse(ChannelHandlerContext ctx) {
        if (ctx.channel() instanceof SocketChannel sc) {
            sc.shutdownOutput();
            ctx.executor().schedule(() -> ctx.close(), CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
        } else {
            ctx.close();
        }
    }
}
