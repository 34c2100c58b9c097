package io.safegrid.ingest.guard;

import java.net.SocketAddress;

/** Where a guard reports what it refused: counted by reason and logged through a rate limiter. */
@FunctionalInterface
public interface Rejections {
    void rejected(String reason, SocketAddress peer, String detail);
}
