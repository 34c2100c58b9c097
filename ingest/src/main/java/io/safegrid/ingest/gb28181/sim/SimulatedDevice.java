package io.safegrid.ingest.gb28181.sim;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.clientauthutils.AccountManager;
import gov.nist.javax.sip.clientauthutils.AuthenticationHelper;
import gov.nist.javax.sip.clientauthutils.UserCredentials;
import io.safegrid.ingest.gb28181.manscdp.MansMessage;
import io.safegrid.ingest.gb28181.live.Sdp;
import io.safegrid.ingest.gb28181.manscdp.Manscdp;
import io.safegrid.ingest.gb28181.sip.Requests;
import io.safegrid.ingest.gb28181.sip.Sip;
import io.safegrid.ingest.gb28181.sip.SipStacks;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GB/T 28181 device (an NVR with channels), for the demo and tests: registers with digest auth,
 * sends keepalives, answers Catalog (one channel per MESSAGE, with {@code SumNum}), DeviceInfo and
 * DeviceStatus in its charset, and can raise an alarm. Built on JAIN-SIP, like the server, but shares
 * nothing with it beyond the SIP helpers.
 */
public final class SimulatedDevice implements SipListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedDevice.class);

    /** One channel the device reports in its catalog. */
    public record Channel(String id, String name) {
    }

    private final String id;
    private final String password;
    private final String serverId;
    private final String serverHost;
    private final int serverPort;
    private final String transport;
    private final List<Channel> channels;
    private final Charset charset;
    private final SipStackImpl stack;
    private final Sip sip;
    private final Requests requests;
    private final AuthenticationHelper auth;
    private final AtomicLong cseq = new AtomicLong(1);
    private final AtomicLong sn = new AtomicLong(1);
    private final AtomicInteger catalogQueries = new AtomicInteger();
    private final ScheduledExecutorService timer;
    private volatile CompletableFuture<Response> registering;
    private volatile String dateFromServer;
    private ScheduledFuture<?> keepalives;
    private volatile Media media = Media.PS;
    private volatile String clip;
    private volatile java.nio.file.Path recorded;
    private final java.util.Map<String, PsRtpSender> streams = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, Sdp.Media> offered = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger byes = new AtomicInteger();
    private final AtomicInteger alarmResponses = new AtomicInteger();
    private final List<Ptz> ptz = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** How the device answers an INVITE: with video, silently (200 but no RTP), or RTP with the wrong SSRC. */
    public enum Media { PS, SILENT, WRONG_SSRC }

    /**
     * @param transport {@code UDP} or {@code TCP}
     * @param charset   what its XML is written and declared in (GB2312 for a 2016-edition device)
     */
    public SimulatedDevice(String id, String password, String serverId, String serverHost, int serverPort,
                           String transport, List<Channel> channels, Charset charset) throws Exception {
        this.id = id;
        this.password = password;
        this.serverId = serverId;
        this.serverHost = serverHost;
        this.serverPort = serverPort;
        this.transport = transport;
        this.channels = List.copyOf(channels);
        this.charset = charset;
        this.stack = SipStacks.create("gb28181-device-" + id, 256 * 1024);
        int port = SipStacks.freePort("127.0.0.1");
        ListeningPoint lp = stack.createListeningPoint("127.0.0.1", port, transport.toLowerCase(java.util.Locale.ROOT));
        SipProvider provider = stack.createSipProvider(lp);
        SipFactory f = SipFactory.getInstance();
        HeaderFactory headers = f.createHeaderFactory();
        this.sip = new Sip(provider, f.createMessageFactory(), headers, f.createAddressFactory());
        this.requests = new Requests(sip, id, serverId.substring(0, 10));
        this.auth = stack.getAuthenticationHelper(new Account(), headers);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gb28181-device-" + id);
            t.setDaemon(true);
            return t;
        });
        provider.addSipListener(this);
    }

    private final class Account implements AccountManager {
        @Override
        public UserCredentials getCredentials(ClientTransaction ct, String realm) {
            return new UserCredentials() {
                @Override public String getUserName() { return id; }

                @Override public String getPassword() { return password; }

                @Override public String getSipDomain() { return realm; }
            };
        }
    }

    /** Registers (answering the digest challenge) and returns the final response's status. */
    public int register(Duration expires) throws Exception {
        CompletableFuture<Response> done = new CompletableFuture<>();
        registering = done;
        Request r = requests.create(Request.REGISTER, serverId, serverHost, serverPort, transport, cseq.getAndIncrement(), null);
        // REGISTER's To and From are the device itself
        r.setHeader(sip.headers().createToHeader(sip.addresses().createAddress(
                sip.addresses().createSipURI(id, serverId.substring(0, 10))), null));
        requests.contact(r, transport);
        r.setExpires(sip.headers().createExpiresHeader((int) expires.toSeconds()));
        requests.send(r);
        return done.get(10, TimeUnit.SECONDS).getStatusCode();
    }

    /** The {@code Date} of the last 200 to REGISTER (GB/T 28181 time sync), or null. */
    public String serverDate() { return dateFromServer; }

    /** Starts sending a Keepalive every {@code interval}. */
    public synchronized void startKeepalives(Duration interval) {
        stopKeepalives();
        keepalives = timer.scheduleAtFixedRate(this::keepalive, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Falls silent, as a device whose network went down. */
    public synchronized void stopKeepalives() {
        if (keepalives != null) {
            keepalives.cancel(false);
            keepalives = null;
        }
    }

    public void keepalive() {
        notify("<Notify>\r\n<CmdType>Keepalive</CmdType>\r\n<SN>" + sn.getAndIncrement() + "</SN>\r\n<DeviceID>" + id
                + "</DeviceID>\r\n<Status>OK</Status>\r\n</Notify>\r\n");
    }

    /** Sends a device alarm from one of its channels (priority 1 highest … 4). */
    public void alarm(String channelId, int priority, String description) {
        notify("<Notify>\r\n<CmdType>Alarm</CmdType>\r\n<SN>" + sn.getAndIncrement() + "</SN>\r\n<DeviceID>" + channelId
                + "</DeviceID>\r\n<AlarmPriority>" + priority + "</AlarmPriority>\r\n<AlarmMethod>5</AlarmMethod>\r\n"
                + "<AlarmTime>2024-01-01T00:00:00</AlarmTime>\r\n<AlarmDescription>" + Manscdp.escape(description)
                + "</AlarmDescription>\r\n<Info>\r\n<AlarmType>2</AlarmType>\r\n</Info>\r\n</Notify>\r\n");
    }

    /** What the next INVITE gets. */
    public void media(Media m) { this.media = m; }

    /**
     * Streams this recorded PS (looped, each frame at its PTS, from its first key frame) with no encoder
     * to start, as a device whose encoder runs all the time; null goes back to FFmpeg.
     */
    public void recorded(java.nio.file.Path ps) {
        this.recorded = ps;
    }

    /** Stops sending every stream with no BYE, as a device that loses power or its network does. */
    public void cutStreams() {
        streams.values().forEach(PsRtpSender::close);
        streams.clear();
    }

    /** Streams this clip (looped) instead of a test pattern. */
    public void clip(String path) { this.clip = path; }

    /** How many of its alarms the platform confirmed with a {@code <Response><CmdType>Alarm}. */
    public int alarmResponses() { return alarmResponses.get(); }

    /** A PTZ instruction the platform sent: to which channel, and its 16 hex digits. */
    public record Ptz(String channelId, String cmd) {
    }

    /** The PTZ instructions received, in order. */
    public List<Ptz> ptzCommands() { return List.copyOf(ptz); }

    /** How many BYEs ended a stream. */
    public int byes() { return byes.get(); }

    /** How many Catalog queries the server sent. */
    public int catalogQueries() { return catalogQueries.get(); }

    private void notify(String xml) {
        try {
            Request r = requests.create(Request.MESSAGE, serverId, serverHost, serverPort, transport, cseq.getAndIncrement(), null);
            requests.body(r, Manscdp.encode(xml, charset));
            requests.send(r);
        } catch (Exception e) {
            LOG.warn("simulated device {} could not send: {}", id, e.toString());
        }
    }

    @Override
    public void processRequest(RequestEvent e) {
        Request req = e.getRequest();
        switch (req.getMethod()) {
            case Request.INVITE -> {
                invite(e);
                return;
            }
            case Request.ACK -> {
                ack(req);
                return;
            }
            case Request.BYE -> {
                bye(e);
                return;
            }
            case Request.MESSAGE -> { }
            default -> {
                sip.reply(e, Response.METHOD_NOT_ALLOWED);
                return;
            }
        }
        sip.reply(e, Response.OK);
        try {
            MansMessage q = Manscdp.parse(req.getRawContent(), null);
            if ("Response".equals(q.kind()) && "Alarm".equals(q.cmdType()) && "OK".equals(q.text("Result"))) {
                alarmResponses.incrementAndGet();
            }
            if ("Control".equals(q.kind()) && "DeviceControl".equals(q.cmdType()) && q.text("PTZCmd") != null) {
                ptz.add(new Ptz(q.deviceId(), q.text("PTZCmd")));
            }
            if (!"Query".equals(q.kind())) {
                return;
            }
            switch (q.cmdType()) {
                case "Catalog" -> {
                    catalogQueries.incrementAndGet();
                    for (Channel c : channels) {   // one item per MESSAGE, as NVRs with many channels do
                        notify("<Response>\r\n<CmdType>Catalog</CmdType>\r\n<SN>" + q.sn() + "</SN>\r\n<DeviceID>" + id
                                + "</DeviceID>\r\n<SumNum>" + channels.size() + "</SumNum>\r\n<DeviceList Num=\"1\">\r\n<Item>\r\n<DeviceID>"
                                + c.id() + "</DeviceID>\r\n<Name>" + Manscdp.escape(c.name()) + "</Name>\r\n<Manufacturer>SafeGrid</Manufacturer>\r\n"
                                + "<Model>sim</Model>\r\n<ParentID>" + id + "</ParentID>\r\n<Status>ON</Status>\r\n</Item>\r\n</DeviceList>\r\n</Response>\r\n");
                    }
                }
                case "DeviceInfo" -> notify("<Response>\r\n<CmdType>DeviceInfo</CmdType>\r\n<SN>" + q.sn() + "</SN>\r\n<DeviceID>"
                        + id + "</DeviceID>\r\n<Result>OK</Result>\r\n<Manufacturer>SafeGrid</Manufacturer>\r\n<Model>sim-nvr</Model>\r\n"
                        + "<Firmware>1.0</Firmware>\r\n<Channel>" + channels.size() + "</Channel>\r\n</Response>\r\n");
                case "DeviceStatus" -> notify("<Response>\r\n<CmdType>DeviceStatus</CmdType>\r\n<SN>" + q.sn() + "</SN>\r\n<DeviceID>"
                        + id + "</DeviceID>\r\n<Result>OK</Result>\r\n<Online>ONLINE</Online>\r\n<Status>OK</Status>\r\n</Response>\r\n");
                default -> { }
            }
        } catch (Exception ex) {
            LOG.warn("simulated device {} could not answer: {}", id, ex.toString());
        }
    }

    private static String callId(javax.sip.message.Message m) {
        return ((javax.sip.header.CallIdHeader) m.getHeader(javax.sip.header.CallIdHeader.NAME)).getCallId();
    }

    private void invite(RequestEvent e) {
        try {
            Sdp.Media offer = Sdp.parse(new String(e.getRequest().getRawContent(), java.nio.charset.StandardCharsets.US_ASCII));
            offered.put(callId(e.getRequest()), offer);
            Response ok = sip.response(Response.OK, e.getRequest());
            ((javax.sip.header.ToHeader) ok.getHeader(javax.sip.header.ToHeader.NAME)).setTag(Long.toHexString(System.nanoTime()));
            ListeningPoint lp = sip.provider().getListeningPoints()[0];
            ok.addHeader(sip.headers().createContactHeader(sip.addresses().createAddress(
                    sip.addresses().createSipURI(id, lp.getIPAddress() + ":" + lp.getPort()))));
            ok.setContent(Sdp.answer(id, "127.0.0.1", 0, offer.ssrc()), sip.headers().createContentTypeHeader("application", "sdp"));
            sip.reply(e, ok);
        } catch (Exception ex) {
            LOG.warn("simulated device {} could not answer INVITE: {}", id, ex.toString());
            sip.reply(e, Response.BAD_REQUEST);
        }
    }

    private void ack(Request req) {
        Sdp.Media offer = offered.get(callId(req));
        if (offer == null || media == Media.SILENT) {
            return;
        }
        try {
            long ssrc = Long.parseLong(offer.ssrc()) + (media == Media.WRONG_SSRC ? 1 : 0);
            java.net.InetAddress to = java.net.InetAddress.getByName(offer.host());
            boolean tcp = offer.transport().startsWith("TCP");
            java.nio.file.Path ps = recorded;
            streams.put(callId(req), ps != null ? new PsRtpSender(ps, to, offer.port(), ssrc, tcp)
                    : new PsRtpSender(clip, to, offer.port(), ssrc, tcp));
        } catch (Exception ex) {
            LOG.warn("simulated device {} could not stream: {}", id, ex.toString());
        }
    }

    private void bye(RequestEvent e) {
        offered.remove(callId(e.getRequest()));
        PsRtpSender s = streams.remove(callId(e.getRequest()));
        if (s != null) {
            s.close();
        }
        byes.incrementAndGet();
        sip.reply(e, Response.OK);
    }

    @Override
    public void processResponse(ResponseEvent e) {
        Response r = e.getResponse();
        if (!Request.REGISTER.equals(((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getMethod())) {
            return;
        }
        CompletableFuture<Response> done = registering;
        if (r.getStatusCode() == Response.UNAUTHORIZED && done != null) {
            try {
                auth.handleChallenge(r, e.getClientTransaction(), sip.provider(), 5).sendRequest();
            } catch (Exception ex) {
                done.completeExceptionally(ex);
            }
            return;
        }
        if (r.getStatusCode() >= 200 && done != null) {
            // the stack parses Date as RFC 1123 only and keeps a GB-format one as unrecognised text
            var raw = ((gov.nist.javax.sip.message.SIPMessage) r).getUnrecognizedHeaders();
            while (raw.hasNext()) {
                String h = raw.next();
                if (h.regionMatches(true, 0, "Date:", 0, 5)) {
                    dateFromServer = h.substring(5).strip();
                }
            }
            var date = r.getHeader("Date");
            if (date != null && dateFromServer == null) {
                dateFromServer = date.toString().substring("Date:".length()).strip();
            }
            done.complete(r);
        }
    }

    @Override
    public void processTimeout(TimeoutEvent e) {
        CompletableFuture<Response> done = registering;
        if (done != null && e.getClientTransaction() != null
                && Request.REGISTER.equals(e.getClientTransaction().getRequest().getMethod())) {
            done.completeExceptionally(new java.util.concurrent.TimeoutException("no answer to REGISTER"));
        }
    }

    @Override public void processIOException(IOExceptionEvent e) { }

    @Override public void processTransactionTerminated(TransactionTerminatedEvent e) { }

    @Override public void processDialogTerminated(DialogTerminatedEvent e) { }

    @Override
    public void close() {
        streams.values().forEach(PsRtpSender::close);
        streams.clear();
        stopKeepalives();
        timer.shutdownNow();
        stack.stop();
    }
}
