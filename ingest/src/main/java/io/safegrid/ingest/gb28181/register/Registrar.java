package io.safegrid.ingest.gb28181.register;

import io.safegrid.config.Gb28181Config;
import io.safegrid.ingest.gb28181.device.DeviceRegistry;
import io.safegrid.ingest.gb28181.sip.Sip;
import io.safegrid.ingest.guard.AuthThrottle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sip.RequestEvent;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REGISTER with MD5 digest: no Authorization → 401 with a fresh nonce; a wrong password, an unknown
 * id or an Authorization for another id → 403; right → 200 with {@code Expires} and a GB {@code Date}
 * for time sync. {@code Expires: 0} unregisters. Failures count toward the {@link AuthThrottle} every device
 * protocol uses: per id and per address, with a credential-attack finding when one fills its window.
 */
public final class Registrar {
    private static final Logger LOG = LoggerFactory.getLogger(Registrar.class);
    static final int DEFAULT_EXPIRES = 3600;
    static final int MAX_EXPIRES = 86400;
    private static final Duration NONCE_LIFE = Duration.ofMinutes(5);

    /** What a registration did, for metrics: {@code ok}, {@code unregistered}, {@code challenged}, or a failure reason. */
    public interface Outcome {
        void registered(String id, boolean fresh);

        void unregistered(String id);

        void challenged();

        void failed(String reason);
    }

    private final Sip sip;
    private final Supplier<Gb28181Config> config;
    private final DeviceRegistry devices;
    private final AuthThrottle throttle;
    private final Clock clock;
    private final Outcome outcome;
    private final Map<String, Instant> nonces = new ConcurrentHashMap<>();

    public Registrar(Sip sip, Supplier<Gb28181Config> config, DeviceRegistry devices, AuthThrottle throttle, Clock clock,
                     Outcome outcome) {
        this.sip = sip;
        this.config = config;
        this.devices = devices;
        this.throttle = throttle;
        this.clock = clock;
        this.outcome = outcome;
    }

    public void handle(RequestEvent e) {
        Request req = e.getRequest();
        String id = Sip.userOf(req);
        String from = Sip.remoteHost(req);
        Gb28181Config c = config.get();
        Gb28181Config.Device device = id == null ? null : c.device(id).orElse(null);
        java.net.SocketAddress peer = new java.net.InetSocketAddress(((gov.nist.javax.sip.message.SIPMessage) req).getRemoteAddress(),
                Sip.remotePort(req));
        if (!throttle.allows(id, peer)) {
            refuse(e, "throttled", id, from);
            return;
        }
        if (device == null) {
            throttle.failed(id, peer);
            refuse(e, "unknown-device", id, from);
            return;
        }
        AuthorizationHeader auth = (AuthorizationHeader) req.getHeader(AuthorizationHeader.NAME);
        if (auth == null || !knownNonce(auth.getNonce())) {
            challenge(e, c.domain(), auth != null);
            return;
        }
        if (!id.equals(auth.getUsername()) || !Digest.matches(auth, req.getMethod(), device.password())) {
            nonces.remove(auth.getNonce());
            throttle.failed(id, peer);
            refuse(e, "wrong-password", id, from);
            return;
        }
        throttle.succeeded(id, peer);
        int expires = expiresOf(req);
        Response ok = sip.response(Response.OK, req);
        try {
            ok.addHeader(Sip.gbDate(LocalDateTime.now(clock)));
            ok.setExpires(sip.headers().createExpiresHeader(expires));
            ContactHeader contact = (ContactHeader) req.getHeader(ContactHeader.NAME);
            if (contact != null) {
                ok.setHeader(contact);
            }
        } catch (javax.sip.InvalidArgumentException ex) {
            throw new IllegalStateException(ex);
        }
        String transport = Sip.transportOf(req);
        int port = Sip.remotePort(req);
        if (expires == 0) {
            devices.unregister(id);
            outcome.unregistered(id);   // counted before the answer, so whoever sees the answer sees the count
            sip.reply(e, ok);
            LOG.info("GB/T 28181 device {} ({}) unregistered from {}:{}", id, device.name(), from, port);
            return;
        }
        boolean fresh = devices.register(id, transport, from, port, Duration.ofSeconds(expires));
        outcome.registered(id, fresh);
        sip.reply(e, ok);
        if (fresh) {
            LOG.info("GB/T 28181 device {} ({}) registered from {}:{} over {} for {} s", id, device.name(), from, port,
                    transport, expires);
        } else {
            LOG.debug("GB/T 28181 device {} refreshed its registration for {} s", id, expires);
        }
    }

    private void challenge(RequestEvent e, String realm, boolean stale) {
        Response r = sip.response(Response.UNAUTHORIZED, e.getRequest());
        String nonce = Digest.nonce();
        try {
            WWWAuthenticateHeader w = sip.headers().createWWWAuthenticateHeader("Digest");
            w.setRealm(realm);
            w.setNonce(nonce);
            w.setAlgorithm("MD5");
            w.setQop("auth");
            if (stale) {
                w.setStale(true);
            }
            r.addHeader(w);
        } catch (java.text.ParseException ex) {
            throw new IllegalStateException(ex);
        }
        Instant now = clock.instant();
        nonces.values().removeIf(t -> t.isBefore(now.minus(NONCE_LIFE)));
        if (nonces.size() < 100_000) {
            nonces.put(nonce, now);
        }
        outcome.challenged();
        sip.reply(e, r);
    }

    private boolean knownNonce(String nonce) {
        Instant issued = nonce == null ? null : nonces.get(nonce);
        return issued != null && issued.isAfter(clock.instant().minus(NONCE_LIFE));
    }

    private void refuse(RequestEvent e, String reason, String id, String from) {
        LOG.warn("GB/T 28181 registration refused ({}): id {} from {}", reason, id, from);
        outcome.failed(reason);
        sip.reply(e, Response.FORBIDDEN);
    }

    /** Expires header, else the Contact's expires parameter, else the default; capped at a day. */
    static int expiresOf(Request req) {
        ExpiresHeader h = req.getExpires();
        int v = -1;
        if (h != null) {
            v = h.getExpires();
        } else if (req.getHeader(ContactHeader.NAME) instanceof ContactHeader c && c.getExpires() >= 0) {
            v = c.getExpires();
        }
        if (v < 0) {
            return DEFAULT_EXPIRES;
        }
        return Math.min(v, MAX_EXPIRES);
    }
}
