package io.safegrid.console.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.safegrid.console.ConsoleFixture;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A client that makes up paths must not make up metric series. */
class MetricLabelsTest {
    ConsoleFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new ConsoleFixture();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    Set<String> routes() {
        Set<String> out = new TreeSet<>();
        for (Meter m : f.registry.find("safegrid.console.requests").meters()) {
            out.add(m.getId().getTag("route"));
        }
        return out;
    }

    @Test
    void randomPathsAddNoSeriesAndLabelsAreRouteTemplates() throws Exception {
        f.get(null, "/ui/console.js");
        f.get(null, "/ui/nope.css");
        f.get(null, "/no/such/thing");
        f.get("wang-fang", "/api/v1/alarms/a-404");
        int series = f.registry.getMeters().size();
        for (int i = 0; i < 50; i++) {
            assertThat(f.get(null, "/ui/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
            f.get(null, "/" + UUID.randomUUID() + "/x");
        }
        assertThat(f.get(null, "/ui/a%00b").statusCode()).isEqualTo(404);
        assertThat(f.registry.getMeters().size()).as("no new series for made-up paths").isEqualTo(series);
        assertThat(f.get("wang-fang", "/api/v1/alarms/%00").statusCode()).isEqualTo(404);
        assertThat(routes()).contains("/ui/{file}", "/api/v1/alarms/{id}", "/api/v1/login", "unmatched")
                .allSatisfy(r -> assertThat(r).matches("unmatched|/[a-zA-Z0-9/{}._*-]*"));
        assertThat(f.registry.scrape()).doesNotContain("\u0000").doesNotContain("nope");
    }
}
