package io.safegrid.ingest.gb28181.live;

import io.safegrid.ingest.gb28181.sip.Requests;
import io.safegrid.ingest.gb28181.sip.Sip;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live stream from a GB/T 28181 channel: INVITE with an SDP offer ({@code s=Play}, {@code y=} SSRC,
 * RTP/AVP on a port of ours), ACK on 200, then PS over RTP/UDP demultiplexed and decoded by FFmpeg;
 * BYE on {@link #close}. Each step that can fail says so in {@link #failure()}: the INVITE got no answer
 * or was refused, no RTP came to the port in time, RTP came with another SSRC, or the PS did not decode.
 */
public final class PlaySession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PlaySession.class);

    /** Where a stream failed. */
    public enum Step { INVITE, RTP, SSRC, DECODE }

    /** Why a stream failed, in words an operator can act on. */
    public record Failure(Step step, String detail) {
        @Override
        public String toString() { return step.name().toLowerCase(java.util.Locale.ROOT) + ": " + detail; }
    }

    private final Sip sip;
    private final Requests requests;
    private final String channelId;
    private final String ssrc;
    private final RtpPs rtp;
    private final boolean tcp;
    private final java.io.OutputStream relay;
    private final Consumer<Frame> pictures;
    private final CompletableFuture<Response> answer = new CompletableFuture<>();
    private final CompletableFuture<Duration> firstPicture = new CompletableFuture<>();
    private final CompletableFuture<Failure> failed = new CompletableFuture<>();
    private final AtomicLong decoded = new AtomicLong();
    private final long startedNanos = System.nanoTime();
    private final java.time.Instant startedAt = java.time.Instant.now();
    private volatile long answeredNanos;
    private volatile long ackNanos;
    private volatile long openedNanos;
    private volatile long pictureNanos;
    private volatile Failure failure;
    private volatile Dialog dialog;
    private volatile String callId;
    private volatile boolean running = true;
    private Thread decoder;

    PlaySession(Sip sip, Requests requests, String channelId, String ssrc, InetAddress mediaAddress,
                boolean tcp, Consumer<Frame> pictures, java.io.OutputStream relay,
                io.micrometer.core.instrument.MeterRegistry registry) throws java.io.IOException {
        this.relay = relay;
        this.sip = sip;
        this.requests = requests;
        this.channelId = channelId;
        this.ssrc = ssrc;
        this.rtp = new RtpPs(mediaAddress, Long.parseLong(ssrc), tcp, registry);
        this.tcp = tcp;
        this.pictures = pictures;
    }

    public String channelId() { return channelId; }

    public String ssrc() { return ssrc; }

    /** The local RTP port offered in the SDP. */
    public int rtpPort() { return rtp.port(); }

    public String callId() { return callId; }

    /** When the INVITE was made. */
    public java.time.Instant startedAt() { return startedAt; }

    /** Whether RTP comes over TCP (this side listening). */
    public boolean tcp() { return tcp; }

    /** Completes with the time from INVITE to the first decoded picture (relaying: the first PS bytes handed on). */
    public CompletableFuture<Duration> firstPicture() { return firstPicture; }

    public long pictures() { return decoded.get(); }

    /** How long each step of the start took so far. */
    public Steps steps() {
        return new Steps(ms(answeredNanos), ms(ackNanos), ms(rtp.firstPacketNanos), ms(rtp.firstFrameNanos), ms(openedNanos),
                ms(pictureNanos));
    }

    private double ms(long nanos) {
        return nanos == 0 ? Double.NaN : (nanos - startedNanos) / 1e6;
    }

    /**
     * The start of a stream step by step, each in ms after the INVITE (NaN: not reached): the final
     * answer to the INVITE, the ACK sent, the first RTP packet with our SSRC, the first whole video frame
     * received (the start of the second one seen), the demuxer open (its probe done), the first decoded picture.
     */
    public record Steps(double answered, double acked, double firstRtp, double firstFrame, double opened, double firstPicture) { }

    /**
     * Completes when the stream fails, before its first picture or after: no RTP, RTP that stopped for
     * the RTP timeout, the device's BYE, PS that does not decode. Never completes when stopped by {@link #close}.
     */
    public CompletableFuture<Failure> failed() { return failed; }

    /** Null while nothing has failed. */
    public Failure failure() { return failure; }

    /** INVITEs the device and waits for its answer; the rest runs on the session's own thread. */
    void start(String callId, String serverId, String host, int port, String transport, String mediaHost,
               Duration inviteTimeout, Duration rtpTimeout) throws Exception {
        this.callId = callId;
        Request invite = requests.create(Request.INVITE, channelId, host, port, transport, 1, callId);
        requests.contact(invite, transport);
        invite.addHeader(sip.headers().createSubjectHeader(channelId + ":" + ssrc + "," + serverId + ":0"));
        invite.setContent(Sdp.offer(serverId, mediaHost, rtp.port(), ssrc, tcp),
                sip.headers().createContentTypeHeader("application", "sdp"));
        ClientTransaction ct = sip.provider().getNewClientTransaction(invite);
        dialog = sip.provider().getNewDialog(ct);
        ct.sendRequest();
        Response r;
        try {
            r = answer.get(inviteTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            fail(Step.INVITE, "no answer to INVITE within " + inviteTimeout.toMillis() + " ms");
            return;
        }
        if (r.getStatusCode() >= 300) {
            fail(Step.INVITE, "device answered " + r.getStatusCode() + " " + r.getReasonPhrase());
            return;
        }
        answeredNanos = System.nanoTime();
        long cseq = ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getSeqNumber();
        Request ack = dialog.createAck(cseq);
        dialog.sendAck(ack);
        ackNanos = System.nanoTime();
        String theirs = r.getRawContent() == null ? null : Sdp.parse(new String(r.getRawContent(),
                java.nio.charset.StandardCharsets.US_ASCII)).ssrc();
        if (theirs != null && !theirs.equals(ssrc)) {
            LOG.info("channel {} answered with SSRC {} instead of {}", channelId, theirs, ssrc);
        }
        decoder = new Thread(() -> start(rtpTimeout), "gb28181-play-" + channelId);
        decoder.setDaemon(true);
        decoder.start();
    }

    /** A final response to our INVITE (from the server's SIP listener). */
    void answered(Response r) {
        if (r.getStatusCode() >= 200) {
            answer.complete(r);
        }
    }

    /** The INVITE transaction timed out in the stack (no answer at all). */
    void timedOut() {
        answer.completeExceptionally(new TimeoutException());
    }

    private void start(Duration rtpTimeout) {
        Thread watchdog = new Thread(() -> watch(rtpTimeout), "gb28181-play-watch-" + channelId);
        watchdog.setDaemon(true);
        watchdog.start();
        if (relay != null) {
            relay(watchdog);
            return;
        }
        decode(watchdog);
    }

    /**
     * No RTP within the timeout: says whether nothing came or something came with another SSRC. Then, once
     * RTP flows, a silence as long as the timeout ends the stream: over UDP nothing else would tell a
     * device that died from one that pauses.
     */
    private void watch(Duration rtpTimeout) {
        try {
            Thread.sleep(rtpTimeout.toMillis());
            if (rtp.packets.get() == 0 && running) {
                if (rtp.foreign.get() > 0) {
                    fail(Step.SSRC, "RTP on port " + rtp.port() + " carries SSRC " + rtp.lastForeignSsrc + ", expected "
                            + Long.parseLong(ssrc));
                } else {
                    fail(Step.RTP, "no RTP on " + (tcp ? "TCP" : "UDP") + " port " + rtp.port() + " within " + rtpTimeout.toMillis() + " ms");
                }
                rtp.close();
                return;
            }
            while (running) {
                long quiet = System.nanoTime() - rtp.lastPacketNanos;
                if (quiet >= rtpTimeout.toNanos()) {
                    fail(Step.RTP, "RTP on " + (tcp ? "TCP" : "UDP") + " port " + rtp.port() + " stopped: nothing for "
                            + quiet / 1_000_000 + " ms");
                    rtp.close();
                    return;
                }
                Thread.sleep(Math.max(50, Math.min(500, (rtpTimeout.toNanos() - quiet) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            // the stream ended first
        }
    }

    private void decode(Thread watchdog) {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(rtp.stream(), 0)) {
            Probe.small(g);
            g.startUnsafe();
            openedNanos = System.nanoTime();
            LOG.info("channel {}: PS stream open ({} {}x{})", channelId, g.getVideoCodecName(), g.getImageWidth(),
                    g.getImageHeight());
            Frame f;
            while (running && (f = g.grabImage()) != null) {
                if (decoded.incrementAndGet() == 1) {
                    pictureNanos = System.nanoTime();
                    Duration took = Duration.ofNanos(pictureNanos - startedNanos);
                    firstPicture.complete(took);
                    LOG.info("channel {}: first picture {} ms after INVITE", channelId, took.toMillis());
                }
                pictures.accept(f);
            }
            g.stop();
        } catch (Exception e) {
            if (failure == null && running) {
                fail(Step.DECODE, "PS on port " + rtp.port() + " not decodable (" + rtp.packets.get()
                        + " RTP packets): " + e.getMessage());
            }
        } finally {
            watchdog.interrupt();
            if (decoded.get() == 0 && failure == null && running) {
                fail(Step.DECODE, "stream ended before a picture (" + rtp.packets.get() + " RTP packets)");
            } else if (failure == null && running) {
                fail(Step.RTP, "RTP on port " + rtp.port() + " ended after " + decoded.get() + " pictures");
            }
        }
    }

    /** Hands the PS bytes on unchanged (to the camera intake, which decodes them in its pool). */
    private void relay(Thread watchdog) {
        byte[] buf = new byte[65536];
        try (java.io.InputStream in = rtp.stream(); java.io.OutputStream out = relay) {
            int n;
            while (running && (n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                out.flush();
                if (decoded.getAndAdd(n) == 0) {
                    firstPicture.complete(Duration.ofNanos(System.nanoTime() - startedNanos));
                }
            }
        } catch (java.io.IOException e) {
            if (running) {
                fail(Step.DECODE, "the camera intake closed the relay: " + e.getMessage());
            }
        } finally {
            watchdog.interrupt();
            if (running && failure == null) {
                fail(Step.RTP, "RTP on port " + rtp.port() + " stopped");
            }
        }
    }

    private synchronized void fail(Step step, String detail) {
        if (failure == null) {
            failure = new Failure(step, detail);
            LOG.warn("channel {}: live video failed at {}", channelId, failure);
            firstPicture.completeExceptionally(new IllegalStateException(failure.toString()));
            failed.complete(failure);
        }
    }

    /** The device ended the stream with a BYE (answered by the caller). */
    void hungUp() {
        if (running) {
            fail(Step.RTP, "the device ended the stream (BYE)");
            rtp.close();
        }
    }

    /** BYE to the device, and the RTP port closed. */
    @Override
    public void close() {
        running = false;
        Dialog d = dialog;
        if (d != null && d.getState() != null && d.getState().getValue() == javax.sip.DialogState._CONFIRMED) {
            try {
                Request bye = d.createRequest(Request.BYE);
                ClientTransaction ct = sip.provider().getNewClientTransaction(bye);
                d.sendRequest(ct);
            } catch (Exception e) {
                LOG.warn("channel {}: BYE failed: {}", channelId, e.toString());
            }
        }
        rtp.close();
        String disorder = rtp.order.summary();
        if (disorder != null) {
            LOG.info("channel {}: RTP over UDP port {} had packets out of order: {}", channelId, rtp.port(), disorder);
        }
        if (rtp.dropped.get() > 0) {
            LOG.warn("channel {}: {} RTP payloads dropped because the decoder fell behind", channelId, rtp.dropped.get());
        }
        if (decoder != null) {
            try {
                decoder.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
