package io.safegrid.cascade.link;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs and counts a failed TLS handshake on the link (the connection is closed by the TLS handler itself). */
final class HandshakeLog extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeLog.class);
    private final LinkMetrics metrics;
    private final String peer;
    private boolean handshaken;

    /** @param peer the meter tag: "upstream" on an enterprise, "unknown" on the county (no HELLO has been read yet) */
    HandshakeLog(LinkMetrics metrics, String peer) {
        this.metrics = metrics;
        this.peer = peer;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            handshaken = done.isSuccess();
            if (!done.isSuccess()) {
                metrics.tlsFailed(peer);
                // Netty's message for a plain client quotes its first bytes in hex: the HELLO, token included
                String why = done.cause() instanceof NotSslRecordException
                        ? "it did not speak TLS (an enterprise still on plain TCP?)" : done.cause().toString();
                LOG.warn("cascade: TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), why);
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (handshaken) {
            ctx.fireExceptionCaught(cause); // the link's own handlers deal with a broken link as before
        } else {
            ctx.close(); // a failed handshake also arrives here; it is logged above, once
        }
    }
}
