package io.safegrid.console.session;

import java.time.Instant;
import java.util.Optional;

/**
 * Where {@link Sessions} keeps its sessions beyond its own memory, so that they outlive a restart,
 * keyed by a hash of the token (the token itself is never stored). {@link #none()} keeps nothing;
 * {@link SessionTable} keeps them in an embedded database in the node's data directory, or in the
 * alarm store's PostgreSQL. Its methods throw a runtime exception when the store fails.
 */
public interface SessionStore extends AutoCloseable {
    /**
     * One login: the user, a fingerprint of the password hash they logged in with (a changed password
     * ends the session), when it began and when it was last used.
     */
    record Stored(String user, String credential, Instant created, Instant lastUsed) {
    }

    void put(String tokenHash, Stored session);

    Optional<Stored> get(String tokenHash);

    /**
     * Moves the session's last use; false when the store no longer holds it: another node sharing the
     * store ended it (a logout there), or it was never stored.
     */
    boolean touch(String tokenHash, Instant lastUsed);

    void remove(String tokenHash);

    /** Removes the sessions begun before {@code createdBefore} or last used before {@code usedBefore}; returns how many. */
    int removeEnded(Instant createdBefore, Instant usedBefore);

    @Override
    default void close() {
    }

    /** Keeps nothing: sessions live in {@link Sessions}' memory only (tests, a console without a data directory). */
    static SessionStore none() {
        return new SessionStore() {
            @Override public void put(String tokenHash, Stored session) { }

            @Override public Optional<Stored> get(String tokenHash) { return Optional.empty(); }

            @Override public boolean touch(String tokenHash, Instant lastUsed) { return true; }

            @Override public void remove(String tokenHash) { }

            @Override public int removeEnded(Instant createdBefore, Instant usedBefore) { return 0; }
        };
    }
}
