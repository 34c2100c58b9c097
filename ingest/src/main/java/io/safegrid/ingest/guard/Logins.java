package io.safegrid.ingest.guard;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * The protocol handlers' side of {@link AuthThrottle} and {@link ListenerGuard}: ask before checking a
 * secret, report the outcome. A connection keeps the id it logged in as, so a protocol that repeats
 * its password in every frame (HJ 212) is throttled only until its first good one.
 */
public final class Logins {
    private static final AttributeKey<State> KEY = AttributeKey.valueOf("safegrid.ingest.login");

    private static final class State {
        final AuthThrottle throttle;
        String loggedIn;
        int failures;
        boolean givenUp;

        State(AuthThrottle throttle) {
            this.throttle = throttle;
        }
    }

    private Logins() {
    }

    /** Called by the guard when the connection is admitted. */
    static void attach(Channel ch, AuthThrottle throttle) {
        if (throttle != null) {
            ch.attr(KEY).set(new State(throttle));
        }
    }

    /** Whether a login for {@code id} may be checked now; false: refuse it without looking at the secret. */
    public static boolean allowed(Channel ch, String id) {
        State s = ch.attr(KEY).get();
        if (s == null || (id != null && id.equals(s.loggedIn))) {
            return true;
        }
        return s.throttle.allows(id, ch.remoteAddress());
    }

    /**
     * A wrong secret or unknown id on this connection.
     *
     * @return how many logins have failed on this connection so far
     */
    public static int failed(Channel ch, String id) {
        State s = ch.attr(KEY).get();
        if (s == null) {
            return 1;
        }
        s.throttle.failed(id, ch.remoteAddress());
        return ++s.failures;
    }

    /**
     * The connection is to be closed for its failed logins: what it sent after is not looked at
     * (frames already read in the same batch included).
     */
    public static void giveUp(Channel ch) {
        State s = ch.attr(KEY).get();
        if (s != null) {
            s.givenUp = true;
        }
        ch.config().setAutoRead(false);
    }

    /** Whether {@link #giveUp} was called: ignore the connection's input. */
    public static boolean givenUp(Channel ch) {
        State s = ch.attr(KEY).get();
        return s != null && s.givenUp;
    }

    /** {@code id} proved its secret: the connection counts as authenticated from now on. */
    public static void succeeded(Channel ch, String id) {
        State s = ch.attr(KEY).get();
        if (s != null && (id == null || !id.equals(s.loggedIn))) {
            s.loggedIn = id;
            s.throttle.succeeded(id, ch.remoteAddress());
        }
        ListenerGuard.authenticated(ch);
    }
}
