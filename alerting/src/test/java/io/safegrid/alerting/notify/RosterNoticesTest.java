package io.safegrid.alerting.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.safegrid.config.ChannelDef;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.UserDef;
import io.safegrid.config.demo.DemoCounty;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.notice.GridNotice;
import io.safegrid.model.notice.NoticeRefused;
import io.safegrid.model.notice.NoticeRoute;
import io.safegrid.testing.Deployments;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hazard and archive notices reach whoever is on duty at the node now, and the named people, over
 * their own channels (here the demo's SMS gateway and a webhook, both a local receiver), in their language.
 */
class RosterNoticesTest {
    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpReceiver gateway = ChannelsTest.newReceiver();
    final ChannelNotifier channels = ChannelNotifier.defaults(Duration.ofSeconds(10), Clock.systemUTC());
    final ConfigSource config = ConfigSource.of(county());

    /** The demo county with its SMS gateway and webhook on the receiver; zheng-ming reads English, wang-fang has no contact. */
    Deployment county() {
        Deployment d = DemoCounty.load(n -> null);
        List<ChannelDef> chs = new ArrayList<>();
        for (ChannelDef c : d.channels()) {
            Map<String, String> s = new java.util.HashMap<>(c.settings());
            s.put("url", gateway.url(c.type().equals("sms") ? "/sms/send" : "/hook"));
            chs.add(new ChannelDef(c.id(), c.type(), s));
        }
        List<UserDef> users = new ArrayList<>();
        for (UserDef u : d.users()) {
            if (u.name().equals("zheng-ming")) {
                u = new UserDef(u.name(), u.displayName(), u.passwordHash(), u.role(), u.scope(),
                        Map.of("sms", "13803571022", "ops-webhook", "duty"), "en");
            } else if (u.name().equals("wang-fang")) {
                u = new UserDef(u.name(), u.displayName(), u.passwordHash(), u.role(), u.scope(), Map.of());
            }
            users.add(u);
        }
        return Deployments.from(d).channels(chs).users(users).build();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    static GridNotice notice(GridPath node, List<String> people) {
        return new GridNotice("hazard:hz-1:overdue-1", node, people, "【隐患整改超期】", "Hazard overdue", "隐患 hz-1 已超期",
                "hazard hz-1 overdue", "http://console/#/hazards/hz-1", Instant.EPOCH);
    }

    RosterNotices at(String utc) {
        return new RosterNotices(config, Clock.fixed(Instant.parse(utc), ZoneOffset.UTC), CHINA, channels);
    }

    @Test
    void theDayShiftByDayTheNightShiftByNight() {
        GridPath kecheng = GridPath.parse("puxian/kecheng");
        assertThat(at("2026-12-01T02:00:00Z").recipients(notice(kecheng, List.of()))).containsExactly("zheng-ming"); // 10:00
        assertThat(at("2026-12-01T14:00:00Z").recipients(notice(kecheng, List.of()))).containsExactly("xie-hong");   // 22:00
    }

    @Test
    void eachPersonOnEachOfTheirChannelsOnceAndTheConsoleForThoseWithout() {
        GridPath kecheng = GridPath.parse("puxian/kecheng");
        List<NoticeRoute> routes = at("2026-12-01T02:00:00Z").routes(notice(kecheng, List.of("zheng-ming", "wang-fang", "张三")));
        assertThat(routes).containsExactlyInAnyOrder(new NoticeRoute("zheng-ming", "sms", "13803571022"),
                new NoticeRoute("zheng-ming", "ops-webhook", "duty"), new NoticeRoute("wang-fang", ChannelNotifier.CONSOLE, null));
        assertThat(at("2026-12-01T02:00:00Z").routes(notice(GridPath.parse("puxian/nowhere"), List.of()))).isEmpty();
    }

    @Test
    void theSmsGatewayGetsTheNoticeInTheReadersLanguageWithTheOperatorsSignature() throws Exception {
        RosterNotices n = at("2026-12-01T02:00:00Z");
        GridNotice overdue = notice(GridPath.parse("puxian/kecheng/dongyu/kecheng-coal"), List.of());
        n.send(overdue, new NoticeRoute("zhang-hui", "sms", "13803571026"));
        n.send(overdue, new NoticeRoute("zheng-ming", "sms", "13803571022"));
        assertThat(gateway.requests).hasSize(2);
        JsonNode zh = JSON.readTree(gateway.requests.get(0).body());
        assertThat(zh.get("phone").asText()).isEqualTo("13803571026");
        assertThat(zh.get("text").asText()).startsWith("【蒲县安监】【隐患整改超期】").contains("隐患 hz-1 已超期")
                .endsWith("http://console/#/hazards/hz-1").doesNotContain("overdue");
        assertThat(JSON.readTree(gateway.requests.get(1).body()).get("text").asText()).contains("Hazard overdue", "hazard hz-1 overdue")
                .doesNotContain("超期");
    }

    @Test
    void theWebhookCarriesTheNoticeWithOneKeyPerRoute() throws Exception {
        RosterNotices n = at("2026-12-01T02:00:00Z");
        GridNotice overdue = notice(GridPath.parse("puxian/kecheng"), List.of());
        n.send(overdue, new NoticeRoute("zheng-ming", "ops-webhook", "duty"));
        n.send(overdue, new NoticeRoute("zheng-ming", "ops-webhook", "duty"));
        assertThat(gateway.requests).extracting(r -> r.header("Idempotency-Key")).containsOnly("hazard:hz-1:overdue-1/zheng-ming/ops-webhook");
        JsonNode body = JSON.readTree(gateway.requests.get(0).body());
        assertThat(body.get("event").asText()).isEqualTo("NOTICE");
        assertThat(body.get("link").asText()).isEqualTo("http://console/#/hazards/hz-1");
    }

    @Test
    void aWrongAddressIsRefusedForGoodAndAGatewayErrorIsRetryable() {
        RosterNotices n = at("2026-12-01T02:00:00Z");
        GridNotice overdue = notice(GridPath.parse("puxian/kecheng"), List.of());
        assertThatThrownBy(() -> n.send(overdue, new NoticeRoute("zheng-ming", "sms", "not a phone")))
                .isInstanceOf(NoticeRefused.class);
        assertThatThrownBy(() -> n.send(overdue, new NoticeRoute("zheng-ming", "gone", "x"))).isInstanceOf(NoticeRefused.class);
        gateway.failFirst = 1;
        assertThatThrownBy(() -> n.send(overdue, new NoticeRoute("zheng-ming", "sms", "13803571022")))
                .isNotInstanceOf(NoticeRefused.class);
        assertThat(URLDecoder.decode(gateway.requests.get(0).path(), StandardCharsets.UTF_8)).isEqualTo("/sms/send");
    }
}
