package io.safegrid.cascade.link;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.Channel;
import io.safegrid.cascade.store.LinkStore;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated connection, seen from either end: streams this side's queue for the peer
 * (from what the peer last applied, at most {@link #WINDOW} unacknowledged), and applies the peer's
 * messages in order, each once, acknowledging each after it is applied and its sequence stored.
 *
 * <p>All store work and every application runs on the session's own thread, never on Netty's
 * event loop, so a slow database or a waiting applier never stalls the link's I/O.
 */
public final class LinkSession {
    private static final Logger LOG = LoggerFactory.getLogger(LinkSession.class);
    /** Messages in flight before the sender waits for acknowledgements. */
    static final int WINDOW = 256;
    private static final int BATCH = 64;

    private final Channel channel;
    private final String peer;
    private final LinkStore store;
    private final Applier applier;
    private final LinkMetrics metrics;
    private final ExecutorService worker;
    /** Received messages not yet applied; drained in batches so one store commit and one ACK cover many. */
    private final java.util.Queue<Frame> inbox = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** The highest ACK heard; ACKs that arrive together are handled as one. */
    private final java.util.concurrent.atomic.AtomicLong latestAck = new java.util.concurrent.atomic.AtomicLong();
    // touched only on the worker thread
    private long sent;
    private long acked;
    private long lastApplied;

    public LinkSession(Channel channel, String peer, LinkStore store, Applier applier, LinkMetrics metrics) {
        this.channel = channel;
        this.peer = peer;
        this.store = store;
        this.applier = applier;
        this.metrics = metrics;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cascade-link-" + peer);
            t.setDaemon(true);
            return t;
        });
    }

    public String peer() { return peer; }

    public Channel channel() { return channel; }

    /** Starts sending after what the peer says it has applied; everything up to there is acknowledged. */
    public void start(long peerApplied) {
        run(() -> {
            lastApplied = store.lastApplied(peer);
            long queued = store.lastQueued(peer);
            if (peerApplied > queued) {
                // our queue was lost or reset (a new data directory): the peer would take our next
                // messages for duplicates, so number on from where it stands
                LOG.warn("cascade {}: peer has applied up to {} but our queue ends at {}; numbering on from {}", peer,
                        peerApplied, queued, peerApplied);
                store.skipTo(peer, peerApplied);
            }
            long before = store.depth(peer);
            store.acknowledged(peer, peerApplied);
            metrics.acknowledged(peer, before - store.depth(peer));
            sent = peerApplied;
            acked = peerApplied;
            LOG.info("cascade {}: link up; peer has applied up to {}, {} queued to send", peer, peerApplied,
                    store.depth(peer));
            pump();
        });
    }

    /** Something new is queued for the peer. */
    public void wake() {
        run(this::pump);
    }

    /** A frame from the peer after the handshake. */
    public void onFrame(Frame f) {
        switch (f.type()) {
            case MSG -> {
                inbox.add(f);
                run(this::drainInbox);
            }
            case ACK -> {
                if (f.seq() != null) {
                    latestAck.accumulateAndGet(f.seq(), Math::max);
                    run(this::onAck);
                }
            }
            default -> {
                metrics.refused(peer, "bad-frame");
                LOG.warn("cascade {}: unexpected {} after the handshake, closing", peer, f);
                channel.close();
            }
        }
    }

    /** Ends the session; a step in progress finishes (never interrupted: an interrupt breaks H2's open file). */
    public void close() {
        worker.shutdown();
        channel.close();
    }

    private interface Step {
        void run() throws Exception;
    }

    private void run(Step step) {
        try {
            worker.execute(() -> {
                if (!channel.isActive()) {
                    return;
                }
                try {
                    step.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    LOG.error("cascade {}: link step failed, resetting the link", peer, e);
                    channel.close();
                }
            });
        } catch (RejectedExecutionException closed) {
            // the session has ended; the next one resumes from the store
        }
    }

    private void pump() throws Exception {
        while (channel.isActive() && sent - acked < WINDOW) {
            List<LinkStore.Entry> batch = store.after(peer, sent, (int) Math.min(BATCH, WINDOW - (sent - acked)));
            if (batch.isEmpty()) {
                return;
            }
            for (LinkStore.Entry e : batch) {
                channel.write(Frame.msg(e.seq(), Wire.JSON.readTree(e.body())));
                sent = e.seq();
            }
            channel.flush();
            metrics.sent(peer, batch.size());
        }
    }

    private void onAck() throws Exception {
        long seq = latestAck.get();
        if (seq <= acked) {
            return;
        }
        long before = store.depth(peer);
        store.acknowledged(peer, seq);
        metrics.acknowledged(peer, before - store.depth(peer));
        acked = seq;
        if (sent < acked) {
            sent = acked;
        }
        pump();
    }

    /**
     * Applies what has arrived, in order, then stores the new mark and acknowledges once. A crash of
     * this node between an application and the mark can apply that batch again after a restart;
     * a reconnect never does.
     */
    private void drainInbox() throws Exception {
        long before = lastApplied;
        boolean heard = false;
        try {
            for (Frame f; (f = inbox.poll()) != null; ) {
                heard = true;
                if (!receive(f.seq(), f.body())) {
                    return;
                }
            }
        } finally {
            if (lastApplied > before) {
                store.applied(peer, lastApplied);
            }
            if (heard && channel.isActive()) {
                channel.writeAndFlush(Frame.ack(lastApplied));
            }
        }
    }

    /** False when the link must be reset. */
    private boolean receive(Long seq, JsonNode body) throws Exception {
        if (seq == null || seq < 1) {
            metrics.refused(peer, "bad-frame");
            LOG.warn("cascade {}: a message without a sequence, closing", peer);
            channel.close();
            return false;
        }
        if (seq <= lastApplied) {
            metrics.duplicate(peer);
            LOG.debug("cascade {}: message {} already applied, dropped", peer, seq);
            return true;
        }
        if (seq > lastApplied + 1) {
            metrics.gap(peer, seq - lastApplied - 1);
            LOG.warn("cascade {}: messages {}..{} never arrive (dropped at the sender's queue bound)", peer,
                    lastApplied + 1, seq - 1);
        }
        Message m = null;
        try {
            m = Wire.JSON.treeToValue(body, Message.class);
        } catch (Exception e) {
            metrics.refused(peer, "bad-message");
            LOG.error("cascade {}: message {} is not readable, skipped: {}", peer, seq, e.getMessage());
        }
        if (m != null) {
            try {
                applier.apply(peer, m);
                metrics.applied(peer, m.kind());
            } catch (Applier.Refused r) {
                metrics.refused(peer, r.reason());
                LOG.error("cascade {}: message {} refused ({}): {}", peer, seq, r.reason(), r.getMessage());
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                metrics.applyError(peer);
                throw e;
            }
        }
        lastApplied = seq;
        return true;
    }
}
