package io.safegrid.ingest.gb28181.cascade;

import gov.nist.javax.sip.clientauthutils.AccountManager;
import gov.nist.javax.sip.clientauthutils.AuthenticationHelper;
import gov.nist.javax.sip.clientauthutils.UserCredentials;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.config.Gb28181Config;
import io.safegrid.ingest.gb28181.manscdp.Manscdp;
import io.safegrid.ingest.gb28181.sip.Requests;
import io.safegrid.ingest.gb28181.sip.Sip;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.ClientTransaction;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This platform registered to one upper platform as a lower platform: REGISTER with MD5 digest,
 * renewed at three quarters of the granted lifetime, Keepalive MESSAGEs, and registering again when
 * keepalives go unanswered for three intervals or the upper platform refuses one. A failed
 * registration is tried again after {@code retry-min}, doubled per failure up to {@code retry-max}.
 */
public final class UpperLink {
    private static final Logger LOG = LoggerFactory.getLogger(UpperLink.class);
    private static final Charset GB2312 = Charset.forName("GB2312");

    /** Where the link stands, for /metrics and tests. */
    public enum State { UNREGISTERED, REGISTERING, REGISTERED }

    private final Gb28181Config.Upper upper;
    private final String selfId;
    private final Sip sip;
    private final Requests requests;
    private final AuthenticationHelper auth;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final MeterRegistry registry;
    private final String callId;
    private final AtomicLong cseq = new AtomicLong(1);
    private final AtomicLong sn = new AtomicLong(1);
    private volatile State state = State.UNREGISTERED;
    private volatile Charset charset = GB2312;
    private volatile Instant lastAnswer;
    private volatile int failures;
    private volatile int challenges;
    private volatile boolean closed;
    private ScheduledFuture<?> next;
    private ScheduledFuture<?> keepalives;

    UpperLink(Gb28181Config.Upper upper, String selfId, Sip sip, Requests requests,
              java.util.function.BiFunction<AccountManager, javax.sip.header.HeaderFactory, AuthenticationHelper> helpers,
              ScheduledExecutorService timer, Clock clock, MeterRegistry registry) {
        this.upper = upper;
        this.selfId = selfId;
        this.sip = sip;
        this.requests = requests;
        this.timer = timer;
        this.clock = clock;
        this.registry = registry;
        this.callId = sip.provider().getNewCallId().getCallId();
        this.auth = helpers.apply((ct, realm) -> new UserCredentials() {
            @Override public String getUserName() { return selfId; }

            @Override public String getPassword() { return upper.password(); }

            @Override public String getSipDomain() { return realm; }
        }, sip.headers());
        Gauge.builder("safegrid.gb28181.upper.registered", this, l -> l.state == State.REGISTERED ? 1 : 0)
                .tag("upper", upper.id()).description("1 while registered to this upper platform").register(registry);
    }

    public Gb28181Config.Upper upper() { return upper; }

    public State state() { return state; }

    /** Failed registrations in a row (0 once registered). */
    public int failures() { return failures; }

    /** Whether a REGISTER or MESSAGE response (or timeout) belongs to this link. */
    boolean owns(javax.sip.message.Message m) {
        CallIdHeader h = (CallIdHeader) m.getHeader(CallIdHeader.NAME);
        return h != null && (callId.equals(h.getCallId()) || upper.id().equals(Sip.userOfTo(m)));
    }

    void start() {
        schedule(Duration.ZERO);
    }

    private synchronized void schedule(Duration delay) {
        if (closed) {
            return;
        }
        if (next != null) {
            next.cancel(false);
        }
        next = timer.schedule(this::register, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void register() {
        try {
            if (state != State.REGISTERED) {   // a renewal keeps the link up while it is under way
                state = State.REGISTERING;
            }
            challenges = 0;
            requests.send(registerRequest((int) upper.expires().toSeconds()));
        } catch (Exception e) {
            failed("send: " + e);
        }
    }

    private Request registerRequest(int expires) throws Exception {
        Request r = requests.create(Request.REGISTER, upper.id(), upper.host(), upper.port(), upper.transport(),
                cseq.addAndGet(2), callId);
        requests.contact(r, upper.transport());
        r.setExpires(sip.headers().createExpiresHeader(expires));
        return r;
    }

    /** A response to this link's REGISTER or MESSAGE. */
    void onResponse(Response r, ClientTransaction ct) {
        String method = ((javax.sip.header.CSeqHeader) r.getHeader(javax.sip.header.CSeqHeader.NAME)).getMethod();
        int status = r.getStatusCode();
        if (status < 200) {
            return;
        }
        if (Request.MESSAGE.equals(method)) {
            if (status < 300) {
                lastAnswer = clock.instant();
            } else if (status == Response.FORBIDDEN || status == Response.NOT_FOUND || status == Response.UNAUTHORIZED) {
                LOG.warn("upper platform {} refused our MESSAGE ({} {}): registering again", upper.id(), status,
                        r.getReasonPhrase());
                lost();
            }
            return;
        }
        if (!Request.REGISTER.equals(method)) {
            return;
        }
        if (status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED) {
            WWWAuthenticateHeader w = (WWWAuthenticateHeader) r.getHeader(WWWAuthenticateHeader.NAME);
            boolean stale = w != null && w.isStale();
            if (++challenges > 1 && !stale) {
                failed("wrong password (" + status + " to our credentials)");
                return;
            }
            try {
                cseq.incrementAndGet();
                auth.handleChallenge(r, ct, sip.provider(), 5).sendRequest();
            } catch (Exception e) {
                failed("digest: " + e);
            }
            return;
        }
        if (status >= 300) {
            failed(status + " " + r.getReasonPhrase());
            return;
        }
        registered(grantedSeconds(r));
    }

    /** The REGISTER or a keepalive got no answer at all. */
    void onTimeout(Request r) {
        if (Request.REGISTER.equals(r.getMethod())) {
            failed("no answer to REGISTER");
        }
    }

    private int grantedSeconds(Response r) {
        ExpiresHeader h = (ExpiresHeader) r.getHeader(ExpiresHeader.NAME);
        if (h != null) {
            return h.getExpires();
        }
        if (r.getHeader(ContactHeader.NAME) instanceof ContactHeader c && c.getExpires() > 0) {
            return c.getExpires();
        }
        return (int) upper.expires().toSeconds();
    }

    private synchronized void registered(int seconds) {
        if (closed) {
            return;
        }
        boolean fresh = state != State.REGISTERED;
        state = State.REGISTERED;
        failures = 0;
        lastAnswer = clock.instant();
        count("ok");
        // renew at three quarters of what was granted, so a lost REGISTER has time for its retransmissions
        schedule(Duration.ofMillis(Math.max(1000L, seconds * 750L)));
        if (fresh) {
            LOG.info("registered to upper platform {} at {}:{} over {} for {} s", upper.id(), upper.host(), upper.port(),
                    upper.transport(), seconds);
            if (keepalives != null) {
                keepalives.cancel(false);
            }
            long every = upper.keepaliveInterval().toMillis();
            keepalives = timer.scheduleAtFixedRate(this::keepalive, every, every, TimeUnit.MILLISECONDS);
        }
    }

    private void failed(String why) {
        if (closed) {
            return;
        }
        int n;
        synchronized (this) {
            state = State.UNREGISTERED;
            n = ++failures;
        }
        count("failed");
        long min = upper.retryMin().toMillis();
        long wait = Math.min(upper.retryMax().toMillis(), min << Math.min(n - 1, 20));
        LOG.warn("registration to upper platform {} at {}:{} failed ({}); trying again in {} ms (failure {} in a row)",
                upper.id(), upper.host(), upper.port(), why, wait, n);
        schedule(Duration.ofMillis(wait));
    }

    private void lost() {
        synchronized (this) {
            if (state != State.REGISTERED) {
                return;
            }
            state = State.UNREGISTERED;
            if (keepalives != null) {
                keepalives.cancel(false);
                keepalives = null;
            }
        }
        count("lost");
        schedule(Duration.ZERO);
    }

    private void keepalive() {
        Instant answered = lastAnswer;
        if (answered != null && answered.isBefore(clock.instant().minus(upper.keepaliveInterval().multipliedBy(3)))) {
            LOG.warn("upper platform {} answered no keepalive for {} s: registering again", upper.id(),
                    Duration.between(answered, clock.instant()).toSeconds());
            lost();
            return;
        }
        send("<Notify>\r\n<CmdType>Keepalive</CmdType>\r\n<SN>" + sn.getAndIncrement() + "</SN>\r\n<DeviceID>" + selfId
                + "</DeviceID>\r\n<Status>OK</Status>\r\n</Notify>\r\n", GB2312, "keepalive");
    }

    /** A MANSCDP MESSAGE to the upper platform, in {@code charset}; false when not registered or not sent. */
    boolean send(String xml, Charset charset, String what) {
        if (state != State.REGISTERED) {
            return false;
        }
        try {
            Request r = requests.create(Request.MESSAGE, upper.id(), upper.host(), upper.port(), upper.transport(),
                    cseq.incrementAndGet(), null);
            requests.body(r, Manscdp.encode(xml, writable(xml, charset)));
            requests.send(r);
            return true;
        } catch (Exception e) {
            LOG.warn("could not send upper platform {} a {}: {}", upper.id(), what, e.toString());
            return false;
        }
    }

    /**
     * UTF-8 when asked for; otherwise GB2312, which 2016-edition platforms expect, unless the text has a
     * character GB2312 lacks (then GB18030, its superset). Queries declared GB2312 are read as GB18030,
     * so the declared name alone does not tell.
     */
    static Charset writable(String xml, Charset asked) {
        if (asked.equals(java.nio.charset.StandardCharsets.UTF_8)) {
            return asked;
        }
        return GB2312.newEncoder().canEncode(xml) ? GB2312 : Manscdp.GB18030;
    }

    /** The charset the upper platform last wrote its queries in: what it reads (GB2312 until it has asked). */
    Charset charset() { return charset; }

    void charset(Charset c) { this.charset = c; }

    long nextSn() { return sn.getAndIncrement(); }

    private void count(String result) {
        Counter.builder("safegrid.gb28181.upper.registrations").tag("upper", upper.id()).tag("result", result)
                .description("registrations to upper platforms by outcome").register(registry).increment();
    }

    /** Unregisters ({@code Expires: 0}) and stops. */
    void close() {
        synchronized (this) {
            closed = true;
            if (next != null) {
                next.cancel(false);
            }
            if (keepalives != null) {
                keepalives.cancel(false);
            }
        }
        if (state == State.REGISTERED) {
            try {
                challenges = 0;
                requests.send(registerRequest(0));
            } catch (Exception e) {
                LOG.debug("unregistering from {}: {}", upper.id(), e.toString());
            }
        }
        state = State.UNREGISTERED;
    }
}
