package io.safegrid.testing;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions on a running console for tests, kept per user: each login costs the console a real PBKDF2
 * verification, so a user logs in once and the session cookie is reused.
 */
public final class ConsoleLogins {
    /** Posts JSON to the console without a session cookie, as its login form does. */
    @FunctionalInterface
    public interface Post {
        HttpResponse<String> post(String path, String json) throws Exception;
    }

    private final Post post;
    private final Map<String, String> passwords;
    private final Map<String, String> cookies = new ConcurrentHashMap<>();

    public ConsoleLogins(Post post, Map<String, String> passwords) {
        this.post = post;
        this.passwords = passwords;
    }

    /** Logs in (once per user) and returns the session cookie. */
    public String cookie(String user) throws Exception {
        String c = cookies.get(user);
        if (c == null) {
            HttpResponse<String> r = post.post("/api/v1/login",
                    "{\"user\":\"" + user + "\",\"password\":\"" + passwords.get(user) + "\"}");
            if (r.statusCode() != 200) {
                throw new AssertionError("login of " + user + " failed: " + r.statusCode() + " " + r.body());
            }
            c = r.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
            cookies.put(user, c);
        }
        return c;
    }

    /** The next request as this user logs in again. */
    public void forget(String user) {
        cookies.remove(user);
    }
}
