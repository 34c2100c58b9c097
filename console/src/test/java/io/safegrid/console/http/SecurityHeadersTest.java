package io.safegrid.console.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.console.Console;
import io.safegrid.console.ConsoleFixture;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SecurityHeadersTest {
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
    void everyAnswerForbidsFramingSniffingInlineScriptAndReferrersToOthers() throws Exception {
        List<HttpResponse<String>> answers = List.of(f.get(null, "/"), f.get(null, "/ui/console.js"),
                f.get(null, "/ui/nope.js"), f.get(null, "/api/v1/me"), f.get("wang-fang", "/api/v1/grid"),
                f.get(null, "/health"), f.post(null, "/api/v1/login", "{}"),
                f.send(null, "POST", "/api/v1/logout", "x", "Content-Type", "text/plain"),
                f.get("wang-fang", "/api/v1/cameras/no-such-camera/live.mjpeg"), f.get(null, "/api/v1/live"));
        for (HttpResponse<String> r : answers) {
            String what = r.request().method() + " " + r.uri().getPath() + " → " + r.statusCode();
            assertThat(r.headers().firstValue("content-security-policy")).as(what)
                    .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'", "frame-ancestors 'none'",
                            "object-src 'none'").doesNotContain("unsafe-inline", "unsafe-eval"));
            assertThat(r.headers().firstValue("x-content-type-options")).as(what).hasValue("nosniff");
            assertThat(r.headers().firstValue("x-frame-options")).as(what).hasValue("DENY");
            assertThat(r.headers().firstValue("referrer-policy")).as(what).hasValue("same-origin");
        }
    }

    @Test
    void thePageHasNoInlineScriptNoHandlerAttributesAndNoInlineStyle() throws Exception {
        String html = resource("index.html");
        assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>").matcher(html).find()).as("inline <script>").isFalse();
        assertThat(Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find())
                .as("onclick= and the like").isFalse();
        assertThat(html).doesNotContain("javascript:", " style=");
        String js = resource("console.js");
        assertThat(js).as("markup the script writes must obey the same policy")
                .doesNotContainPattern("\\son[a-z]+=\\\\?[\"']").doesNotContain(" style=\"", "javascript:", "eval(", "new Function");
    }

    static String resource(String name) throws Exception {
        try (InputStream in = Console.class.getResourceAsStream("web/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
