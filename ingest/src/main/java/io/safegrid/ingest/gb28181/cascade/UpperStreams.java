package io.safegrid.ingest.gb28181.cascade;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.ingest.gb28181.live.PlaySession;
import io.safegrid.ingest.gb28181.live.RtpOut;
import io.safegrid.ingest.gb28181.live.Sdp;
import io.safegrid.ingest.gb28181.sip.Sip;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upper platform's INVITEs for shared channels: 200 with an SDP answer, and on ACK the channel's PS
 * is fetched from its device here (a relay, not decoded), or a shared camera's H.264 is copied into PS
 * ({@link CameraPs}), and sent on as RTP with the upper platform's SSRC, over UDP, or over TCP to the
 * port it listens on ({@code TCP/RTP/AVP}); BYE stops both legs, and a failed source gets the upper
 * platform a BYE.
 */
final class UpperStreams {
    private static final Logger LOG = LoggerFactory.getLogger(UpperStreams.class);

    private final Sip sip;
    private final String selfId;
    private final String mediaHost;
    private final Lower lower;
    private final ExecutorService workers;
    private final MeterRegistry registry;
    private final Map<String, Stream> byCallId = new ConcurrentHashMap<>();

    private static final class Stream {
        final String upperId;
        final String channelId;
        final Sdp.Media offer;
        final String callId;
        volatile javax.sip.Dialog dialog;
        volatile PlaySession session;
        /** Set instead of {@code session} for a shared camera. */
        final io.safegrid.model.device.Camera camera;
        volatile CameraPs cameraStream;
        volatile boolean ended;
        /** The ACK may come more than once over UDP; the stream starts once. */
        final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();

        Stream(String upperId, String channelId, Sdp.Media offer, String callId, io.safegrid.model.device.Camera camera) {
            this.camera = camera;
            this.callId = callId;
            this.upperId = upperId;
            this.channelId = channelId;
            this.offer = offer;
        }
    }

    UpperStreams(Sip sip, String selfId, String mediaHost, Lower lower, ExecutorService workers, MeterRegistry registry) {
        this.sip = sip;
        this.selfId = selfId;
        this.mediaHost = mediaHost;
        this.lower = lower;
        this.workers = workers;
        this.registry = registry;
    }

    void invite(UpperLink link, RequestEvent e) {
        Request req = e.getRequest();
        String channel = req.getRequestURI() instanceof SipURI u ? u.getUser() : null;
        io.safegrid.model.device.Camera camera = channel == null ? null
                : java.util.Optional.ofNullable(link.upper().shareCameras().get(channel)).flatMap(lower::camera).orElse(null);
        if (camera == null && (channel == null || !link.upper().share().contains(channel))) {
            LOG.warn("upper platform {} asked for channel {}, which is not shared with it", link.upper().id(), channel);
            count(link, "not-shared");
            sip.reply(e, Response.NOT_FOUND);
            return;
        }
        if (camera == null && lower.deviceOf(channel).filter(d -> lower.registered(d.id())).isEmpty()) {
            count(link, "device-offline");
            sip.reply(e, Response.TEMPORARILY_UNAVAILABLE);
            return;
        }
        Sdp.Media offer;
        try {
            offer = Sdp.parse(new String(req.getRawContent() == null ? new byte[0] : req.getRawContent(), StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException ex) {
            count(link, "bad-sdp");
            sip.reply(e, Response.BAD_REQUEST);
            return;
        }
        String ssrc = offer.ssrc() == null ? "0" : offer.ssrc();
        Stream stream = new Stream(link.upper().id(), channel, offer, callId(req), camera);
        byCallId.put(stream.callId, stream);
        try {
            Response ok = sip.response(Response.OK, req);
            ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag(Long.toHexString(System.nanoTime()));
            ListeningPoint lp = sip.provider().getListeningPoint(Sip.transportOf(req).toLowerCase(java.util.Locale.ROOT));
            ok.addHeader(sip.headers().createContactHeader(sip.addresses().createAddress(
                    sip.addresses().createSipURI(selfId, lp.getIPAddress() + ":" + lp.getPort()))));
            ok.setContent(Sdp.answer(channel, mediaHost, 0, ssrc), sip.headers().createContentTypeHeader("application", "sdp"));
            ServerTransaction st = e.getServerTransaction();
            if (st == null) {
                try {
                    st = sip.provider().getNewServerTransaction(req);
                } catch (TransactionAlreadyExistsException retransmission) {
                    return;   // the stack answers it
                }
            }
            // a dialog of our own, so that we can end the stream with a BYE when its source fails
            stream.dialog = sip.provider().getNewDialog(st);
            st.sendResponse(ok);
        } catch (Exception ex) {
            byCallId.remove(callId(req));
            throw new IllegalStateException(ex);
        }
    }

    void ack(Request req) {
        Stream s = byCallId.get(callId(req));
        if (s == null || !s.started.compareAndSet(false, true)) {
            return;
        }
        workers.execute(() -> start(s));
    }

    private void start(Stream s) {
        boolean tcp = s.offer.transport().toUpperCase(java.util.Locale.ROOT).startsWith("TCP");
        try {
            RtpOut out = new RtpOut(InetAddress.getByName(s.offer.host()), s.offer.port(),
                    Long.parseLong(s.offer.ssrc() == null ? "0" : s.offer.ssrc()), tcp);
            if (s.camera != null) {
                startCamera(s, out, tcp);
                return;
            }
            PlaySession session = lower.relay(s.channelId, out);
            s.session = session;
            if (s.ended) {
                lower.stop(session);
                return;
            }
            session.failed().thenAccept(f -> hangUp(s, f.step().name().toLowerCase(java.util.Locale.ROOT), f.toString()));
            session.firstPicture().whenComplete((took, error) -> {
                if (error == null) {
                    Counter.builder("safegrid.gb28181.upper.streams").tag("upper", s.upperId).tag("result", "ok")
                            .description("streams sent up by outcome").register(registry).increment();
                    LOG.info("channel {} streaming to upper platform {} at {}:{} over {}", s.channelId, s.upperId,
                            s.offer.host(), s.offer.port(), tcp ? "TCP" : "UDP");
                } else {
                    Counter.builder("safegrid.gb28181.upper.streams").tag("upper", s.upperId)
                            .tag("result", session.failure() == null ? "failed" : session.failure().step().name().toLowerCase(java.util.Locale.ROOT))
                            .register(registry).increment();
                    LOG.warn("channel {} for upper platform {}: {}", s.channelId, s.upperId, session.failure());
                }
            });
        } catch (Exception ex) {
            // the device went offline after our 200, or no socket for the RTP: the upper platform hears of it
            hangUp(s, "invite", "could not start: " + ex);
        }
    }

    /**
     * The channel's stream from its device failed (device gone, RTP stopped, the device's BYE): the upper
     * platform is told with a BYE, so that it does not wait on a dead stream, and may INVITE again.
     */
    private void hangUp(Stream s, String step, String why) {
        if (byCallId.remove(s.callId) == null || s.ended) {
            return;   // the upper platform ended it first
        }
        s.ended = true;
        end(s);
        // counted before the BYE: the upper platform may see the hang-up before this thread goes on
        Counter.builder("safegrid.gb28181.upper.hangups").tag("upper", s.upperId)
                .tag("step", step)
                .description("streams to upper platforms ended by this side because their source failed, by failed step")
                .register(registry).increment();
        String sent = "BYE sent";
        javax.sip.Dialog d = s.dialog;
        try {
            if (d == null || d.getState() == null || d.getState().getValue() != javax.sip.DialogState._CONFIRMED) {
                sent = "no confirmed dialog for a BYE";
            } else {
                Request bye = d.createRequest(Request.BYE);
                d.sendRequest(sip.provider().getNewClientTransaction(bye));
            }
        } catch (Exception ex) {
            sent = "BYE failed: " + ex;
        }
        LOG.warn("channel {} for upper platform {} failed ({}): {}", s.channelId, s.upperId, why, sent);
    }

    /** A shared camera: its H.264 copied into PS, as it comes from the camera. */
    private void startCamera(Stream s, RtpOut out, boolean tcp) {
        CameraPs c = new CameraPs(s.camera, out);
        s.cameraStream = c;
        if (s.ended) {
            c.close();
            return;
        }
        c.failed().thenAccept(why -> hangUp(s, "camera", why));
        c.firstPacket().whenComplete((took, error) -> {
            Counter.builder("safegrid.gb28181.upper.streams").tag("upper", s.upperId).tag("result", error == null ? "ok" : "camera")
                    .description("streams sent up by outcome").register(registry).increment();
            if (error == null) {
                LOG.info("camera {} as channel {} streaming to upper platform {} at {}:{} over {}, {} ms after the ACK", s.camera.id(),
                        s.channelId, s.upperId, s.offer.host(), s.offer.port(), tcp ? "TCP" : "UDP", took.toMillis());
            }
        });
    }

    /** Stops what feeds a stream: the relay from the device, or the camera's copy. */
    private void end(Stream s) {
        if (s.session != null) {
            lower.stop(s.session);
        }
        if (s.cameraStream != null) {
            s.cameraStream.close();
        }
    }

    void bye(RequestEvent e) {
        sip.reply(e, Response.OK);
        Stream s = byCallId.remove(callId(e.getRequest()));
        if (s != null) {
            s.ended = true;
            end(s);
            LOG.info("upper platform {} stopped channel {}", s.upperId, s.channelId);
        }
    }

    int active() { return byCallId.size(); }

    void closeAll() {
        byCallId.values().forEach(s -> {
            s.ended = true;
            end(s);
        });
        byCallId.clear();
    }

    private void count(UpperLink link, String result) {
        Counter.builder("safegrid.gb28181.upper.streams").tag("upper", link.upper().id()).tag("result", result)
                .description("streams sent up by outcome").register(registry).increment();
    }

    private static String callId(Request r) {
        return ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId();
    }
}
