package io.safegrid.config;

import java.time.Duration;

/**
 * How much of the node one client, one address or one listener of ingest may hold, so that hostile
 * or broken clients cannot starve devices, the record or the process ({@code node.ingest-limits}).
 * See docs/security.md for what each bound guarantees.
 *
 * @param maxConnectionsPerListener       open connections on one ingest listener (MQTT, HJ 212, HTTP, video push)
 * @param maxUnauthenticatedPerListener   connections on one listener that have not yet authenticated; the
 *                                        oldest is closed to make room for a new one
 * @param maxUnauthenticatedPerAddress    not yet authenticated connections from one source address on one listener
 * @param reservedFileHandles             file handles ingest leaves to the record, stores and logs: all
 *                                        listeners together hold at most the process limit minus this
 * @param hj212LoginTimeout               an HJ 212 connection must send a frame with a valid MN and PW within this
 * @param mqttConnectTimeout              an MQTT connection must be accepted (CONNECT) within this of accept
 * @param httpRequestTimeout              one HTTP request, headers to last body byte, must arrive within this
 * @param writeBufferHighBytes            queued replies above this pause reading the connection (resumed at half)
 * @param maxQueuedWriteBytes             queued replies above this close the connection (a client that never reads)
 * @param maxInflightBodyBytes            HTTP body bytes of all unfinished requests together; more get 503
 * @param authFailuresPerMinute           failed logins allowed per device id and per source address per minute
 * @param hj212BadPasswordsPerConnection  wrong PWs after which an HJ 212 connection is closed
 * @param maxVideoPixels                  the largest picture (width x height) a camera may send
 */
public record IngestLimits(int maxConnectionsPerListener, int maxUnauthenticatedPerListener,
                           int maxUnauthenticatedPerAddress, int reservedFileHandles, Duration hj212LoginTimeout,
                           Duration mqttConnectTimeout, Duration httpRequestTimeout, int writeBufferHighBytes,
                           int maxQueuedWriteBytes, long maxInflightBodyBytes, int authFailuresPerMinute,
                           int hj212BadPasswordsPerConnection, long maxVideoPixels) {

    public static IngestLimits defaults() {
        return new IngestLimits(10_000, 1024, 64, 2048, Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(30), 64 * 1024, 1024 * 1024, 64L * 1024 * 1024, 10, 3, 3840L * 2160);
    }
}
