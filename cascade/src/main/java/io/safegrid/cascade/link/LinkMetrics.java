package io.safegrid.cascade.link;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.cascade.store.LinkStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cascade's meters, tagged by peer (the enterprise's id; an enterprise node calls its county
 * {@code upstream}). Peer ids come from config, so the tag stays bounded; an id nobody configured
 * is counted as {@code unknown}.
 */
public final class LinkMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> up = new ConcurrentHashMap<>();
    private final java.util.Set<String> queues = ConcurrentHashMap.newKeySet();

    public LinkMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() { return registry; }

    private Counter counter(String name, String help, String peer, String... tags) {
        return Counter.builder(name).description(help).tag("peer", peer).tags(tags).register(registry);
    }

    public void tlsFailed(String peer) {
        counter("safegrid.cascade.tls.failures", "TLS handshakes that failed (untrusted certificate, wrong host, a plain client)",
                peer).increment();
    }

    public void sent(String peer, int n) {
        counter("safegrid.cascade.sent", "messages written to the link (resends included)", peer).increment(n);
    }

    public void acknowledged(String peer, long n) {
        counter("safegrid.cascade.acknowledged", "queued messages the other end confirmed as applied", peer).increment(n);
    }

    public void applied(String peer, Message.Kind kind) {
        counter("safegrid.cascade.applied", "messages received and applied", peer, "kind", kind.name().toLowerCase())
                .increment();
    }

    public void duplicate(String peer) {
        counter("safegrid.cascade.duplicates", "messages received again after a reconnect, dropped", peer).increment();
    }

    public void gap(String peer, long missing) {
        counter("safegrid.cascade.gaps", "messages the other end dropped at its queue bound before sending", peer)
                .increment(missing);
    }

    public void refused(String peer, String reason) {
        counter("safegrid.cascade.refused", "handshakes and messages refused", peer, "reason", reason).increment();
    }

    public void applyError(String peer) {
        counter("safegrid.cascade.apply.errors", "messages that failed to apply; the link is reset to retry them", peer)
                .increment();
    }

    public void dropped(String peer, int n) {
        counter("safegrid.cascade.queue.dropped", "queued messages dropped, oldest first, at the queue bound", peer)
                .increment(n);
    }

    public void lost(String peer) {
        counter("safegrid.cascade.queue.lost", "messages that could not be stored in the queue", peer).increment();
    }

    public void connected(String peer, boolean isUp) {
        AtomicInteger g = up.computeIfAbsent(peer, p -> {
            AtomicInteger v = new AtomicInteger();
            Gauge.builder("safegrid.cascade.link.up", v, AtomicInteger::get)
                    .description("1 while the link to the peer is connected and authenticated").tag("peer", p)
                    .register(registry);
            return v;
        });
        if (isUp) {
            counter("safegrid.cascade.connects", "authenticated connections (the first and every reconnect)", peer)
                    .increment();
        }
        g.set(isUp ? 1 : 0);
    }

    public boolean isUp(String peer) {
        AtomicInteger g = up.get(peer);
        return g != null && g.get() == 1;
    }

    /** Queue depth and bytes of the peer's outgoing queue. */
    public void queue(String peer, LinkStore store) {
        if (!queues.add(peer)) {
            return;
        }
        Gauge.builder("safegrid.cascade.queue.depth", store, s -> s.depth(peer))
                .description("messages waiting for the peer's acknowledgement").tag("peer", peer).register(registry);
        Gauge.builder("safegrid.cascade.queue.bytes", store, s -> s.bytes(peer))
                .description("disk bytes of the messages waiting for the peer").baseUnit("bytes").tag("peer", peer)
                .register(registry);
    }
}
