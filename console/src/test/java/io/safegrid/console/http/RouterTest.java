package io.safegrid.console.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;

class RouterTest {
    private final Router router = new Router()
            .get("/api/v1/alarms", r -> Response.json(200, "[]"))
            .get("/api/v1/alarms/{id}", r -> Response.json(200, r.param("id")))
            .post("/api/v1/alarms/{id}/ack", r -> Response.json(200, "ok"));

    @Test
    void bindsPathParameters() throws Exception {
        boolean[] known = {false};
        Router.Match m = router.match(HttpMethod.GET, "/api/v1/alarms/a-17", known);
        assertThat(m).isNotNull();
        assertThat(m.params()).containsEntry("id", "a-17");
    }

    @Test
    void tellsUnknownPathsFromWrongMethods() {
        boolean[] known = {false};
        assertThat(router.match(HttpMethod.DELETE, "/api/v1/alarms/a-17", known)).isNull();
        assertThat(known[0]).isTrue();
        boolean[] unknown = {false};
        assertThat(router.match(HttpMethod.GET, "/api/v1/nothing", unknown)).isNull();
        assertThat(unknown[0]).isFalse();
    }
}
