package io.safegrid.console.alarm;

import com.fasterxml.jackson.databind.JsonNode;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.console.http.Api;
import io.safegrid.console.http.HttpError;
import io.safegrid.console.http.Request;
import io.safegrid.console.http.Response;
import io.safegrid.console.http.Router;
import io.safegrid.console.session.Auth;
import io.safegrid.console.session.Principal;
import io.safegrid.console.session.Role;
import io.safegrid.model.alarm.Silence;
import io.safegrid.model.device.Device;
import io.safegrid.model.grid.GridPath;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Silences (屏蔽/检修窗口). Everyone sees the silences that touch their scope (including a
 * county-wide one above it); supervision roles create and end them within their scope, and only
 * admin may silence the whole county. Enterprise operators cannot: a plant must not mute its
 * own supervisors.
 */
public final class SilenceRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(SilenceRoutes.class);
    private static final Duration MAX_SILENCE = Duration.ofDays(7);

    private final Auth auth;
    private final Api api;
    private final ConfigSource config;
    private final AlarmRoutes alarms;
    private final Clock clock;

    public SilenceRoutes(Auth auth, Api api, ConfigSource config, AlarmRoutes alarms, Clock clock) {
        this.auth = auth;
        this.api = api;
        this.config = config;
        this.alarms = alarms;
        this.clock = clock;
    }

    public void routes(Router router) {
        router.get("/api/v1/silences", auth.guard((r, u) -> api.ok(alarms.desk()
                .silences("true".equals(r.param("ended"))).stream().filter(s -> touches(u, s)).toList())));
        router.get("/api/v1/silences/{id}", auth.guard((r, u) -> api.ok(find(u, r.param("id")))));
        router.post("/api/v1/silences", auth.guard(this::create));
        router.post("/api/v1/silences/{id}/end", auth.guard(this::end));
        router.add(io.netty.handler.codec.http.HttpMethod.DELETE, "/api/v1/silences/{id}", auth.guard(this::end));
    }

    private Response create(Request r, Principal u) throws Exception {
        if (!u.role().maySilence()) {
            throw new HttpError(403, "enterprise operators cannot create silences; ask the township or county");
        }
        JsonNode b = api.body(r);
        String deviceId = Api.text(b, "deviceId", Api.NAME_CHARS);
        String nodeText = Api.text(b, "node", Api.NAME_CHARS * 3);
        String reason = Api.text(b, "reason", Api.REASON_CHARS);
        if ((deviceId == null) == (nodeText == null)) {
            throw new HttpError(400, "give exactly one of deviceId or node");
        }
        if (reason == null || reason.isBlank()) {
            throw new HttpError(400, "reason is required");
        }
        Instant expires = Api.instant(Api.text(b, "expiresAt"), "expiresAt");
        Instant now = clock.instant();
        if (expires == null || !expires.isAfter(now)) {
            throw new HttpError(400, "expiresAt must be in the future");
        }
        if (expires.isAfter(now.plus(MAX_SILENCE))) {
            throw new HttpError(400, "a silence may last at most 7 days");
        }
        GridPath node = null;
        Deployment d = config.current();
        if (deviceId != null) {
            Device dev = Stream.concat(d.sensors().stream(), d.cameras().stream()).filter(x -> x.id().equals(deviceId))
                    .findFirst().orElseThrow(() -> new HttpError(404, "no such device: " + deviceId));
            if (!u.sees(dev.site())) {
                throw new HttpError(404, "no such device: " + deviceId);
            }
        } else {
            node = Api.path(nodeText, "node");
            if (!d.grid().contains(node) || !u.sees(node)) {
                throw new HttpError(404, "no such grid node in your scope: " + node);
            }
            if (node.isRoot() && u.role() != Role.ADMIN) {
                throw new HttpError(403, "only an admin may silence the whole county");
            }
        }
        Silence s = alarms.desk().silence(deviceId, node, u.name(), reason, expires);
        LOG.info("{} silenced {} until {}: {}", u.name(), deviceId != null ? deviceId : node, expires, reason);
        return api.status(201, s);
    }

    private Response end(Request r, Principal u) throws Exception {
        Silence s = find(u, r.param("id"));
        if (!u.role().maySilence() || !owns(u, s)) {
            throw new HttpError(403, "you may not end this silence");
        }
        try {
            Silence ended = alarms.desk().endSilence(s.id(), u.name());
            LOG.info("{} ended silence {}", u.name(), s.id());
            return api.ok(ended);
        } catch (NoSuchElementException e) {
            throw new HttpError(404, e.getMessage());
        } catch (IllegalStateException e) {
            if (io.safegrid.console.http.StoreFailure.in(e)) {
                throw e;   // answered as 503 without the store's words
            }
            throw new HttpError(409, e.getMessage());
        }
    }

    private Silence find(Principal u, String id) {
        return alarms.desk().silences(true).stream().filter(s -> s.id().equals(id) && touches(u, s)).findFirst()
                .orElseThrow(() -> new HttpError(404, "no such silence: " + id));
    }

    /** Inside the scope, or above it (a county-wide window also mutes this township). */
    private boolean touches(Principal u, Silence s) {
        if (s.node() != null) {
            return u.sees(s.node()) || u.scope().isWithin(s.node());
        }
        return deviceSite(s.deviceId()).map(u::sees).orElse(u.role() == Role.ADMIN);
    }

    /** May change it: the silenced node or device lies inside the scope. */
    private boolean owns(Principal u, Silence s) {
        if (s.node() != null) {
            return u.sees(s.node()) && (!s.node().isRoot() || u.role() == Role.ADMIN);
        }
        return deviceSite(s.deviceId()).map(u::sees).orElse(u.role() == Role.ADMIN);
    }

    private Optional<GridPath> deviceSite(String id) {
        Deployment d = config.current();
        return Stream.concat(d.sensors().stream(), d.cameras().stream()).filter(x -> x.id().equals(id))
                .map(Device::site).findFirst();
    }
}
