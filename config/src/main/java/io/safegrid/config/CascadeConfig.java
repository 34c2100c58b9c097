package io.safegrid.config;

import io.safegrid.model.grid.GridPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The enterprise-to-county cascade (docs/cascade.md). An enterprise node has an {@code upstream}:
 * it forwards its findings and alarm transitions to the county and applies the county's answers.
 * A county node listens on {@code listenPort} for the {@code peers} it knows. A node may do both
 * (a township relaying to the county), or neither (the default).
 *
 * @param upstream      where this node forwards to, or null
 * @param listenPort    where this node accepts enterprise links; 0 picks a free port, -1 (default) off
 * @param peers         the enterprises allowed to connect, each confined to its grid subtree
 * @param queueMaxBytes disk one peer's queue may use while its link is down; past it the oldest is dropped
 * @param reconnectMax  the longest wait between two connection attempts (backoff starts at 1/20 of it)
 * @param tls           the certificate enterprise links are served with, or null for plain TCP
 */
public record CascadeConfig(Upstream upstream, int listenPort, List<Peer> peers, long queueMaxBytes,
                            Duration reconnectMax, ServerTls tls) {

    public static final long DEFAULT_QUEUE_MAX_BYTES = 256L << 20;
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(30);

    /**
     * @param host  the county node's host name or address
     * @param peer  this enterprise's peer id, as the county's {@code peers[].id}
     * @param token the shared secret; the county keeps only its PBKDF2 hash
     * @param tls   whether the link runs over TLS (the county's certificate is checked, host name included)
     * @param trust PEM certificates to trust for it instead of the JVM's own CAs (a county's private CA), or null
     */
    public record Upstream(String host, int port, String peer, String token, boolean tls, Path trust) {
        /** Plain TCP. */
        public Upstream(String host, int port, String peer, String token) {
            this(host, port, peer, token, false, null);
        }

        @Override
        public String toString() {
            return "Upstream[" + host + ":" + port + ", peer=" + peer + ", token=***" + (tls ? ", tls" : "") + "]";
        }
    }

    /**
     * @param cert the county's certificate chain (PEM), leaf first
     * @param key  its private key (PEM, PKCS#8: "BEGIN PRIVATE KEY")
     */
    public record ServerTls(Path cert, Path key) {
    }

    /** Without TLS on the county's side. */
    public CascadeConfig(Upstream upstream, int listenPort, List<Peer> peers, long queueMaxBytes, Duration reconnectMax) {
        this(upstream, listenPort, peers, queueMaxBytes, reconnectMax, null);
    }

    /**
     * @param tokenHash {@code pbkdf2-sha256$...}, see {@link io.safegrid.config.auth.PasswordHash}
     * @param grid      the subtree this peer may report for; anything outside it is refused
     */
    public record Peer(String id, String tokenHash, GridPath grid) {
    }

    public CascadeConfig {
        peers = peers == null ? List.of() : List.copyOf(peers);
        reconnectMax = reconnectMax == null ? DEFAULT_RECONNECT_MAX : reconnectMax;
        queueMaxBytes = queueMaxBytes <= 0 ? DEFAULT_QUEUE_MAX_BYTES : queueMaxBytes;
    }

    /** No cascade: neither forwarding nor listening. */
    public static CascadeConfig none() {
        return new CascadeConfig(null, -1, List.of(), DEFAULT_QUEUE_MAX_BYTES, DEFAULT_RECONNECT_MAX);
    }

    public boolean enabled() {
        return upstream != null || listenPort >= 0;
    }

    public Optional<Peer> peer(String id) {
        return peers.stream().filter(p -> p.id().equals(id)).findFirst();
    }
}
