package io.safegrid.console.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OwnOriginTest {
    final OwnOrigin origins = new OwnOrigin(() -> "https://anquan.puxian.example");

    @Test
    void theOriginMustNameTheHostAndPortTheBrowserConnectedTo() {
        assertThat(origins.own("http://10.1.2.3:8080", "10.1.2.3:8080")).isTrue();
        assertThat(origins.own("http://console.puxian.example", "Console.Puxian.Example")).isTrue();
        assertThat(origins.own("http://console.puxian.example:80", "console.puxian.example")).isTrue();
        assertThat(origins.own("http://[::1]:8080", "[::1]:8080")).isTrue();
        assertThat(origins.own("http://10.1.2.3:9999", "10.1.2.3:8080")).as("another port").isFalse();
        assertThat(origins.own("http://evil.puxian.example", "console.puxian.example")).as("a sibling").isFalse();
        assertThat(origins.own("https://anquan.puxian.example", "127.0.0.1:8080")).as("console-url").isTrue();
        assertThat(origins.own("https://anquan.puxian.example:8443", "127.0.0.1:8080")).isFalse();
    }

    @Test
    void opaqueMissingOrMalformedOriginsAreNeverOwn() {
        assertThat(origins.own("null", "null")).isFalse();
        assertThat(origins.own(null, "10.1.2.3:8080")).isFalse();
        assertThat(origins.own("http://10.1.2.3:8080", null)).isFalse();
        assertThat(origins.own("file://", "10.1.2.3:8080")).isFalse();
        assertThat(origins.own("http://a b", "a b")).isFalse();
        assertThat(origins.own("chrome-extension://abc", "abc")).isFalse();
        assertThat(new OwnOrigin(() -> null).own("http://x", "y")).isFalse();
    }
}
