package io.safegrid.ingest.gb28181;

import gov.nist.javax.sip.SipStackImpl;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Gb28181Config;
import io.safegrid.ingest.gb28181.cascade.Cascade;
import io.safegrid.ingest.gb28181.cascade.Lower;
import io.safegrid.ingest.gb28181.cascade.UpperLink;
import io.safegrid.ingest.gb28181.device.CatalogChannel;
import io.safegrid.ingest.gb28181.device.DeviceRegistry;
import io.safegrid.ingest.gb28181.device.GbDevice;
import io.safegrid.ingest.gb28181.live.LivePlayer;
import io.safegrid.ingest.gb28181.live.PlaySession;
import io.safegrid.ingest.gb28181.manscdp.Manscdp;
import io.safegrid.ingest.guard.AuthThrottle;
import io.safegrid.ingest.gb28181.register.Registrar;
import io.safegrid.ingest.gb28181.sip.Requests;
import io.safegrid.ingest.gb28181.sip.Sip;
import io.safegrid.ingest.gb28181.sip.SipStacks;
import io.safegrid.model.bus.Bus;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SafeGrid as a GB/T 28181 SIP server (the {@code gb28181:} section): devices register over UDP or
 * TCP on one port, send keepalives and alarms; after each new registration the server asks for the
 * device's Catalog, DeviceInfo and DeviceStatus. Once a second it judges which devices are online and
 * publishes DEVICE_OFFLINE findings for the changes. The SIP itself is JAIN-SIP's.
 */
public final class Gb28181Server implements SipListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gb28181Server.class);
    private static final Charset GB2312 = Charset.forName("GB2312");
    static final int MAX_MESSAGE_BYTES = 256 * 1024;
    /** How long a stream for an upper platform waits for the device's answer, and then for its RTP. */
    private static final java.time.Duration UPWARD_TIMEOUT = java.time.Duration.ofSeconds(5);

    private final ConfigSource config;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Bus bus;
    private final DeviceRegistry devices;
    private final AtomicLong sn = new AtomicLong(1);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gb28181-liveness");
        t.setDaemon(true);
        return t;
    });
    private SipStackImpl stack;
    private Sip sip;
    private Requests requests;
    private Registrar registrar;
    private GbMessages messages;
    private GbFindings findings;
    private GbMetrics metrics;
    private LivePlayer live;
    private CameraRelay relay;
    private Cascade cascade;
    private AuthThrottle logins;
    private java.util.function.Predicate<String> watching;
    private String mediaHost;
    private Instant startedAt;
    private int port = -1;

    public Gb28181Server(ConfigSource config, Bus bus, MeterRegistry registry, Clock clock) {
        this.config = config;
        this.bus = bus;
        this.registry = registry;
        this.clock = clock;
        this.devices = new DeviceRegistry(this::settings, clock);
    }

    private Gb28181Config settings() {
        return config.current().gb28181();
    }

    public void start() throws Exception {
        Gb28181Config c = settings();
        if (!c.enabled()) {
            return;
        }
        port = c.port() == 0 ? SipStacks.freePort(c.address()) : c.port();
        stack = SipStacks.create("safegrid-gb28181", MAX_MESSAGE_BYTES);
        ListeningPoint udp = stack.createListeningPoint(c.address(), port, ListeningPoint.UDP);
        ListeningPoint tcp = stack.createListeningPoint(c.address(), port, ListeningPoint.TCP);
        SipProvider provider = stack.createSipProvider(udp);
        provider.addListeningPoint(tcp);
        SipFactory f = SipFactory.getInstance();
        sip = new Sip(provider, f.createMessageFactory(), f.createHeaderFactory(), f.createAddressFactory());
        requests = new Requests(sip, c.serverId(), c.domain());
        metrics = new GbMetrics(registry, devices);
        findings = new GbFindings(bus);
        logins = new AuthThrottle(clock, c.authWindow(), () -> settings().authFailures(),
                id -> settings().device(id).map(Gb28181Config.Device::grid).orElse(null),
                () -> config.current().grid().roots().stream().findFirst().map(n -> n.path()).orElse(null), bus, registry);
        registrar = new Registrar(sip, this::settings, devices, logins,
                clock, new Registrar.Outcome() {
                    @Override public void registered(String id, boolean fresh) {
                        metrics.registered.increment();
                        if (fresh) {   // after the 200 has gone out
                            scheduler.schedule(() -> queryAll(id), 200, TimeUnit.MILLISECONDS);
                        }
                    }

                    @Override public void unregistered(String id) { metrics.unregistered.increment(); }

                    @Override public void challenged() { metrics.challenged.increment(); }

                    @Override public void failed(String reason) { metrics.failed(reason); }
                });
        messages = new GbMessages(sip, this::settings, devices, findings, metrics, clock,
                (deviceId, xml) -> scheduler.execute(() -> send(deviceId, xml, "response")));
        live = new LivePlayer(sip, requests, c.serverId(), c.domain(), registry);
        mediaHost = c.address().equals("0.0.0.0") ? java.net.InetAddress.getLocalHost().getHostAddress() : c.address();
        cascade = new Cascade(this::settings, sip, stack, new Lower() {
            @Override public List<GbDevice> devices() { return devices.devices(); }

            @Override public boolean registered(String deviceId) { return devices.isRegistered(deviceId); }

            @Override
            public PlaySession relay(String channelId, java.io.OutputStream out) throws Exception {
                return Gb28181Server.this.relay(channelId, out, UPWARD_TIMEOUT, UPWARD_TIMEOUT);
            }

            @Override public void stop(PlaySession session) { live.stop(session); }

            @Override
            public java.util.Optional<io.safegrid.model.device.Camera> camera(String cameraId) {
                return config.current().cameras().stream().filter(cam -> cam.id().equals(cameraId)).findFirst();
            }
        }, mediaHost, scheduler, registry, clock);
        provider.addSipListener(this);
        startedAt = clock.instant();
        scheduler.scheduleWithFixedDelay(this::judge, 1, 1, TimeUnit.SECONDS);
        cascade.start(bus);
        LOG.info("GB/T 28181 server {} listening on {}:{} (UDP and TCP), {} device(s) configured", c.serverId(),
                c.address(), port, c.devices().size());
    }

    /** The SIP port (UDP and TCP), or -1 when off. */
    public int port() { return port; }

    /** Every configured device with what is known of it now. */
    public List<GbDevice> devices() { return devices.devices(); }

    /** The links to upper platforms (upward cascade); empty when none is configured or the server is off. */
    public List<UpperLink> uppers() { return cascade == null ? List.of() : cascade.links(); }

    /** Catalog channels that the config places nowhere, for an operator to place. */
    public List<CatalogChannel> unboundChannels() { return devices.unboundChannels(); }

    /** Asks a registered device for its Catalog, DeviceInfo and DeviceStatus; false when it is not registered. */
    public boolean queryAll(String deviceId) {
        boolean sent = query(deviceId, "Catalog");
        return query(deviceId, "DeviceInfo") && query(deviceId, "DeviceStatus") && sent;
    }

    /**
     * Starts live video from a channel (or a camera registered as a device): INVITE, then PS over
     * RTP (UDP, or TCP with this side listening) decoded by FFmpeg, each picture handed to {@code pictures}. Returns once the device has
     * answered or the INVITE failed; {@link PlaySession#failure()} says which step failed.
     *
     * @throws IllegalStateException when no registered device has that channel
     */
    public PlaySession play(String channelId, boolean rtpOverTcp, java.time.Duration inviteTimeout,
                            java.time.Duration rtpTimeout,
                            java.util.function.Consumer<org.bytedeco.javacv.Frame> pictures) throws Exception {
        GbDevice d = deviceOf(channelId);
        return live.play(channelId, d.host(), d.port(), d.transport(), mediaHost, rtpOverTcp, inviteTimeout, rtpTimeout,
                pictures, null);
    }

    /** Like {@link #play}, but the PS bytes are written to {@code relay} as they come, not decoded here. */
    PlaySession relay(String channelId, java.io.OutputStream relay, java.time.Duration inviteTimeout,
                      java.time.Duration rtpTimeout) throws Exception {
        GbDevice d = deviceOf(channelId);
        return live.play(channelId, d.host(), d.port(), d.transport(), mediaHost, false, inviteTimeout, rtpTimeout,
                f -> { }, relay);
    }

    private GbDevice deviceOf(String channelId) {
        return devices.devices().stream()
                .filter(x -> x.id().equals(channelId) || x.channels().stream().anyMatch(ch -> ch.id().equals(channelId)))
                .filter(x -> devices.isRegistered(x.id())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no registered device has channel " + channelId));
    }

    /**
     * Relays the channels bound to cameras ({@code channels[].camera}) to the camera intake's push port
     * while their devices are online. Called once the camera intake is up.
     */
    public synchronized void relayCameras(String pushHost, int pushPort) {
        if (sip != null && relay == null && pushPort > 0) {
            relay = new CameraRelay(this, config, pushHost, pushPort);
            if (watching != null) {
                relay.watchedBy(watching);
            }
            relay.start();
        }
    }

    /** Who tells whether a camera is being watched (the console), for channels relayed on demand. */
    public synchronized void watchedBy(java.util.function.Predicate<String> watching) {
        this.watching = watching;
        if (relay != null) {
            relay.watchedBy(watching);
        }
    }

    /**
     * Sends a PTZ instruction ({@code DeviceControl}/{@code PTZCmd}, GB/T 28181 A.3) to a channel through its
     * registered device; false when sending failed. {@code STOP} ends a move.
     *
     * @throws IllegalStateException when no registered device has that channel
     */
    public boolean ptz(String channelId, io.safegrid.ingest.gb28181.control.PtzCmd.Move move, int speed) {
        GbDevice d = deviceOf(channelId);
        String cmd = io.safegrid.ingest.gb28181.control.PtzCmd.encode(move, speed, 1);
        boolean sent = send(d.id(), io.safegrid.ingest.gb28181.control.PtzCmd.deviceControl(sn.getAndIncrement(), channelId, cmd),
                "PTZ " + move);
        io.micrometer.core.instrument.Counter.builder("safegrid.gb28181.ptz").tag("result", sent ? "sent" : "failed")
                .description("PTZ instructions sent to devices").register(registry).increment();
        LOG.info("PTZ {} (speed {}) to channel {} of device {}: {}", move, speed, channelId, d.id(), sent ? cmd : "not sent");
        return sent;
    }

    /** How the channel's latest live stream stands (or how it failed, and at which step); null if never played. */
    public io.safegrid.ingest.gb28181.live.StreamStatus streamStatus(String channelId) {
        return live == null ? null : live.status(channelId);
    }

    /** Ends a live stream (BYE). */
    public void stop(PlaySession session) {
        live.stop(session);
    }

    private boolean query(String deviceId, String cmd) {
        return send(deviceId, Manscdp.query(cmd, sn.getAndIncrement(), deviceId), cmd + " query");
    }

    /** A MANSCDP MESSAGE (GB2312) to a registered device; false when it is not registered or sending failed. */
    private boolean send(String deviceId, String xml, String what) {
        GbDevice d = devices.device(deviceId).orElse(null);
        if (d == null || !devices.isRegistered(deviceId) || sip == null) {
            return false;
        }
        try {
            Request r = requests.create(Request.MESSAGE, deviceId, d.host(), d.port(), d.transport(), 1, null);
            requests.body(r, Manscdp.encode(xml, GB2312));
            requests.send(r);
            LOG.debug("sent GB/T 28181 device {} a {}", deviceId, what);
            return true;
        } catch (Exception e) {
            LOG.warn("could not send GB/T 28181 device {} a {}: {}", deviceId, what, e.toString());
            return false;
        }
    }

    private void judge() {
        try {
            logins.tick();
            for (DeviceRegistry.Change c : devices.judge(startedAt)) {
                if (findings.offline(c, clock.instant())) {
                    devices.settle(c);
                    if (c.online()) {
                        LOG.info("GB/T 28181 device {} ({}) online", c.device().id(), c.device().config().name());
                    } else {
                        LOG.warn("GB/T 28181 device {} ({}) offline: {}", c.device().id(), c.device().config().name(), c.why());
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.error("GB/T 28181 liveness check failed", e);
        }
    }

    @Override
    public void processRequest(RequestEvent e) {
        try {
            if (cascade.handle(e)) {
                return;
            }
            switch (e.getRequest().getMethod()) {
                case Request.REGISTER -> registrar.handle(e);
                case Request.MESSAGE -> messages.handle(e);
                case Request.ACK, Request.CANCEL -> { }
                case Request.BYE -> {
                    if (!live.onBye(e)) {
                        sip.reply(e, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
                    }
                }
                default -> sip.reply(e, Response.METHOD_NOT_ALLOWED);
            }
        } catch (RuntimeException ex) {
            LOG.error("GB/T 28181 {} from {} failed", e.getRequest().getMethod(), Sip.userOf(e.getRequest()), ex);
            sip.reply(e, Response.SERVER_INTERNAL_ERROR);
        }
    }

    @Override
    public void processResponse(ResponseEvent e) {
        Response r = e.getResponse();
        if (live.onResponse(r) || cascade.onResponse(e)) {
            return;
        }
        if (r.getStatusCode() >= 300) {
            LOG.warn("GB/T 28181 device {} answered {} {} to our {}", toUser(r), r.getStatusCode(), r.getReasonPhrase(),
                    ((javax.sip.header.CSeqHeader) r.getHeader("CSeq")).getMethod());
        }
    }

    private static String toUser(Response r) {
        var to = (javax.sip.header.ToHeader) r.getHeader(javax.sip.header.ToHeader.NAME);
        return to != null && to.getAddress().getURI() instanceof javax.sip.address.SipURI u ? u.getUser() : "?";
    }

    @Override
    public void processTimeout(TimeoutEvent e) {
        if (e.getClientTransaction() != null) {
            Request r = e.getClientTransaction().getRequest();
            if (cascade.onTimeout(r)) {
                LOG.warn("upper platform {} did not answer our {} (SIP timeout)", Sip.userOfTo(r), r.getMethod());
                return;
            }
            live.onTimeout(r);
            metrics.queriesUnanswered.increment();
            LOG.warn("GB/T 28181 device {} did not answer our {} (SIP timeout)",
                    ((javax.sip.address.SipURI) r.getRequestURI()).getUser(), r.getMethod());
        }
    }

    @Override
    public void processIOException(IOExceptionEvent e) {
        LOG.warn("GB/T 28181 I/O error with {}:{} over {}", e.getHost(), e.getPort(), e.getTransport());
    }

    @Override public void processTransactionTerminated(TransactionTerminatedEvent e) { }

    @Override public void processDialogTerminated(DialogTerminatedEvent e) { }

    @Override
    public void close() {
        if (cascade != null) {
            cascade.close();
        }
        scheduler.shutdownNow();
        if (relay != null) {
            relay.close();
        }
        if (live != null) {
            live.closeAll();
        }
        if (stack != null) {
            stack.stop();
            stack = null;
            LOG.info("GB/T 28181 server stopped");
        }
    }
}
