package io.safegrid.alerting.silence;

import io.safegrid.model.alarm.Silence;
import io.safegrid.model.grid.GridPath;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

/**
 * The silences in force, checked for each alarm that would notify. Holds them in memory (there
 * are few); the caller persists what {@link #create} and {@link #end} return. Not thread-safe.
 */
public final class SilenceBook {
    private final List<Silence> all = new ArrayList<>();

    public void load(List<Silence> stored) {
        all.clear();
        all.addAll(stored);
    }

    /** Validates and adds a silence; nothing is added when the input is wrong. */
    public Silence create(String deviceId, GridPath node, String user, String reason, Instant expiresAt, Instant now) {
        if ((deviceId == null || deviceId.isBlank()) && node == null) {
            throw new IllegalArgumentException("a silence needs a device or a grid node / 请指定设备或网格");
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("a silence needs the user who sets it");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a silence needs a reason / 请填写屏蔽原因");
        }
        if (expiresAt == null || !expiresAt.isAfter(now)) {
            throw new IllegalArgumentException("a silence must expire in the future / 到期时间须晚于现在");
        }
        Silence s = new Silence(UUID.randomUUID().toString(), deviceId == null || deviceId.isBlank() ? null : deviceId,
                node, user, reason.strip(), now, expiresAt, null, null);
        all.add(0, s);
        return s;
    }

    public Silence end(String id, String user, Instant now) {
        for (int i = 0; i < all.size(); i++) {
            Silence s = all.get(i);
            if (s.id().equals(id)) {
                if (!s.isActive(now)) {
                    throw new IllegalStateException("silence " + id + " has already ended");
                }
                Silence ended = new Silence(s.id(), s.deviceId(), s.node(), s.createdBy(), s.reason(), s.createdAt(),
                        s.expiresAt(), now, user);
                all.set(i, ended);
                return ended;
            }
        }
        throw new NoSuchElementException("no silence " + id);
    }

    /** The newest silence in force that covers a device at a site. */
    public Optional<Silence> matching(String sourceId, GridPath site, Instant now) {
        return all.stream().filter(s -> s.isActive(now) && s.matches(sourceId, site)).findFirst();
    }

    public List<Silence> list(boolean includeEnded, Instant now) {
        return all.stream().filter(s -> includeEnded || s.isActive(now)).toList();
    }
}
