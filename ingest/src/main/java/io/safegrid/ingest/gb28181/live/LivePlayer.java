package io.safegrid.ingest.gb28181.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.ingest.gb28181.sip.Requests;
import io.safegrid.ingest.gb28181.sip.Sip;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.sip.header.CallIdHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.bytedeco.javacv.Frame;

/** Starts live streams from channels and routes the SIP answers to their sessions; counts how each ended. */
public final class LivePlayer {
    private final Sip sip;
    private final Requests requests;
    private final String serverId;
    private final String domain;
    private final MeterRegistry registry;
    private final AtomicInteger serial = new AtomicInteger();
    private final Map<String, PlaySession> byCallId = new ConcurrentHashMap<>();
    /** Each channel's latest session, kept after it stops so that the console can say how it ended. */
    private final Map<String, PlaySession> latest = new ConcurrentHashMap<>();
    private final Map<String, Boolean> stopped = new ConcurrentHashMap<>();

    public LivePlayer(Sip sip, Requests requests, String serverId, String domain, MeterRegistry registry) {
        this.sip = sip;
        this.requests = requests;
        this.serverId = serverId;
        this.domain = domain;
        this.registry = registry;
    }

    /**
     * INVITEs a channel of a registered device and waits for its answer (not for pictures: see
     * {@link PlaySession#firstPicture}); the session's {@link PlaySession#failure} says what went wrong.
     */
    public PlaySession play(String channelId, String host, int port, String transport, String mediaHost, boolean rtpOverTcp,
                            Duration inviteTimeout, Duration rtpTimeout, Consumer<Frame> pictures,
                            java.io.OutputStream relay) throws Exception {
        PlaySession s = new PlaySession(sip, requests, channelId, Sdp.liveSsrc(domain, serial.incrementAndGet()),
                InetAddress.getByName(mediaHost), rtpOverTcp, pictures, relay, registry);
        String callId = sip.provider().getNewCallId().getCallId();
        byCallId.put(callId, s);   // before the INVITE leaves: its answer may come back at once
        latest.put(channelId, s);
        stopped.remove(channelId);
        s.start(callId, serverId, host, port, transport, mediaHost, inviteTimeout, rtpTimeout);
        s.firstPicture().whenComplete((took, error) -> count(s));   // once: a picture or the first failure
        return s;
    }

    private void count(PlaySession s) {
        String result = s.failure() == null ? "ok" : s.failure().step().name().toLowerCase(java.util.Locale.ROOT);
        Counter.builder("safegrid.gb28181.play").tag("result", result)
                .description("live streams by outcome: ok (first picture) or the step that failed").register(registry).increment();
    }

    /** @return true when the response belonged to one of our INVITEs */
    public boolean onResponse(Response r) {
        PlaySession s = byCallId.get(callId(r));
        if (s == null || !Request.INVITE.equals(((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getMethod())) {
            return s != null;
        }
        s.answered(r);
        return true;
    }

    /**
     * A device's BYE ending one of our streams (a device or lower platform whose source went away): 200,
     * and the session fails at the RTP step saying so.
     *
     * @return false when the BYE is for no stream of ours
     */
    public boolean onBye(javax.sip.RequestEvent e) {
        PlaySession s = byCallId.get(callId(e.getRequest()));
        if (s == null) {
            return false;
        }
        sip.reply(e, Response.OK);
        s.hungUp();
        return true;
    }

    public void onTimeout(Request r) {
        PlaySession s = byCallId.get(callId(r));
        if (s != null && Request.INVITE.equals(r.getMethod())) {
            s.timedOut();
        }
    }

    /** Ends a session: BYE, RTP port closed. */
    public void stop(PlaySession s) {
        byCallId.remove(s.callId());
        if (latest.get(s.channelId()) == s) {
            stopped.put(s.channelId(), true);
        }
        s.close();
    }

    /** The channel's latest stream, or null when it was never played. */
    public StreamStatus status(String channelId) {
        PlaySession s = latest.get(channelId);
        return s == null ? null : StreamStatus.of(s, stopped.containsKey(channelId));
    }

    public void closeAll() {
        byCallId.values().forEach(PlaySession::close);
        byCallId.clear();
    }

    private static String callId(Message m) {
        CallIdHeader h = (CallIdHeader) m.getHeader(CallIdHeader.NAME);
        return h == null ? null : h.getCallId();
    }
}
