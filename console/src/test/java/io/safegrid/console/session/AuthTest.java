package io.safegrid.console.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.console.ConsoleFixture;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Login, logout, expiry and throttling over real HTTP with the demo county's PBKDF2 hashes. */
class AuthTest {
    ConsoleFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new ConsoleFixture();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void loginSetsAnHttpOnlySameSiteStrictCookieAndLogoutEndsIt() throws Exception {
        HttpResponse<String> r = f.post(null, "/api/v1/login", "{\"user\":\"zheng-ming\",\"password\":\"Demo-Town-2026\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"role\":\"township-officer\"", "\"scope\":\"puxian/kecheng\"");
        String setCookie = r.headers().firstValue("set-cookie").orElseThrow();
        assertThat(setCookie).startsWith("SAFEGRID_SESSION=").contains("HTTPOnly", "SameSite=Strict", "Path=/");
        String cookie = setCookie.split(";", 2)[0];
        assertThat(f.getWithCookie(cookie, "/api/v1/me").body()).contains("\"user\":\"zheng-ming\"");
        assertThat(f.postWithCookie(cookie, "/api/v1/logout", "").statusCode()).isEqualTo(200);
        assertThat(f.getWithCookie(cookie, "/api/v1/me").statusCode()).isEqualTo(401);
    }

    @Test
    void wrongPasswordsAndUnknownUsersGet401AndAreCounted() throws Exception {
        assertThat(f.post(null, "/api/v1/login", "{\"user\":\"admin\",\"password\":\"guess\"}").statusCode()).isEqualTo(401);
        assertThat(f.post(null, "/api/v1/login", "{\"user\":\"nobody\",\"password\":\"guess\"}").statusCode()).isEqualTo(401);
        // a roster-only person has no password and cannot log in
        assertThat(f.post(null, "/api/v1/login", "{\"user\":\"li-yan\",\"password\":\"\"}").statusCode()).isEqualTo(401);
        assertThat(f.post(null, "/api/v1/login", "{\"user\":\"admin\"}").statusCode()).isEqualTo(400);
        assertThat(f.registry.scrape()).contains("safegrid_console_logins_total{outcome=\"bad-password\"} 1.0",
                "safegrid_console_logins_total{outcome=\"unknown-user\"} 2.0");
    }

    @Test
    void fiveWrongPasswordsThrottleTheUserEvenWithTheRightOne() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(f.post(null, "/api/v1/login", "{\"user\":\"wang-fang\",\"password\":\"wrong-" + i + "\"}").statusCode())
                    .isEqualTo(401);
        }
        HttpResponse<String> r = f.post(null, "/api/v1/login", "{\"user\":\"wang-fang\",\"password\":\"Demo-County-2026\"}");
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("retry-after")).hasValue("900");
        assertThat(r.body()).contains("too many failed logins");
        assertThat(f.registry.scrape()).contains("safegrid_console_logins_total{outcome=\"throttled\"} 1.0");
        f.clock.advance(Duration.ofMinutes(15));
        assertThat(f.post(null, "/api/v1/login", "{\"user\":\"wang-fang\",\"password\":\"Demo-County-2026\"}").statusCode())
                .isEqualTo(200);
    }

    @Test
    void aStrangersWrongPasswordsDoNotLockTheOfficerOutOfHerOwnAddress() throws Exception {
        String wrong = "{\"user\":\"wang-fang\",\"password\":\"guess\"}";
        for (int i = 0; i < 5; i++) {
            assertThat(RawHttp.post("127.0.0.2", f.console.port(), "/api/v1/login", f.origin(), wrong)).startsWith("HTTP/1.1 401");
        }
        assertThat(RawHttp.post("127.0.0.2", f.console.port(), "/api/v1/login", f.origin(), wrong)).startsWith("HTTP/1.1 429");
        assertThat(f.post(null, "/api/v1/login", "{\"user\":\"wang-fang\",\"password\":\"Demo-County-2026\"}").statusCode())
                .as("the officer at 127.0.0.1").isEqualTo(200);
    }

    @Test
    void anIdleSessionExpiresAndAReloadThatRemovesTheUserEndsItsSession() throws Exception {
        String township = f.login("zheng-ming");
        String county = f.login("wang-fang");
        f.clock.advance(Duration.ofMinutes(20));
        assertThat(f.getWithCookie(township, "/api/v1/alarms").statusCode()).isEqualTo(200);
        f.clock.advance(Duration.ofMinutes(20));
        assertThat(f.getWithCookie(county, "/api/v1/alarms").statusCode()).as("40 min idle").isEqualTo(401);
        assertThat(f.getWithCookie(township, "/api/v1/alarms").statusCode()).as("20 min idle").isEqualTo(200);
        f.config.reload(SessionsTest.withUsers(f.config.current(),
                f.config.current().users().stream().filter(u -> !u.name().equals("zheng-ming")).toList()));
        assertThat(f.getWithCookie(township, "/api/v1/alarms").statusCode()).isEqualTo(401);
    }
}
