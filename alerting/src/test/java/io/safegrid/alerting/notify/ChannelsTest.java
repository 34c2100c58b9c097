package io.safegrid.alerting.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.safegrid.config.ChannelDef;
import io.safegrid.model.notice.GridNotice;
import io.safegrid.model.notice.NoticeAttachment;
import io.safegrid.testing.SmtpReceiver;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each channel type against a local receiver: what goes over the wire, and what counts as delivered. */
class ChannelsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpReceiver http = newReceiver();
    final ChannelNotifier channels = ChannelNotifier.defaults(Duration.ofSeconds(10), Clock.systemUTC());

    static HttpReceiver newReceiver() {
        try {
            return new HttpReceiver();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        http.close();
    }

    @Test
    void dingTalkSignsTheCallAsDingTalkDefinesIt() throws Exception {
        String secret = "SEC0123456789abcdef";
        ChannelDef ch = new ChannelDef("duty-robot", "dingtalk", Map.of("url", http.url("/robot/send?access_token=tok-1"),
                "secret", secret));
        channels.send(Samples.to(ch, "13803571001"));

        HttpReceiver.Request r = http.requests.get(0);
        assertThat(r.param("access_token")).isEqualTo("tok-1");
        long ts = Long.parseLong(r.param("timestamp"));
        assertThat(ts).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
        // recomputed here with the JDK, independently of the notifier's helper
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = java.util.Base64.getEncoder().encodeToString(
                mac.doFinal((ts + "\n" + secret).getBytes(StandardCharsets.UTF_8)));
        assertThat(URLDecoder.decode(r.param("sign"), StandardCharsets.UTF_8)).isEqualTo(expected);

        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("msgtype").asText()).isEqualTo("markdown");
        assertThat(body.at("/markdown/title").asText()).contains("二级(橙色)预警");
        assertThat(body.at("/markdown/text").asText()).contains("七号煤矿", "Level 2 (orange)", "@13803571001");
        assertThat(body.at("/at/atMobiles/0").asText()).isEqualTo("13803571001");
    }

    @Test
    void dingTalkErrcodeDecidesDelivery() {
        ChannelDef ch = new ChannelDef("duty-robot", "dingtalk", Map.of("url", http.url("/robot/send?access_token=t"),
                "msgtype", "text"));
        http.reply = "{\"errcode\":130101,\"errmsg\":\"send too fast\"}";
        assertThatThrownBy(() -> channels.send(Samples.to(ch, null))).isInstanceOf(IOException.class)
                .hasMessageContaining("130101").hasMessageContaining("send too fast");
        http.reply = "{\"errcode\":310000,\"errmsg\":\"sign not match\"}";
        assertThatThrownBy(() -> channels.send(Samples.to(ch, null))).isInstanceOf(PermanentFailure.class)
                .hasMessageContaining("sign not match");
        assertThat(http.requests).extracting(r -> r.body()).allSatisfy(b -> assertThat(b).contains("\"msgtype\":\"text\""));
    }

    @Test
    void weComPutsTheKeyInTheUrlAndChecksErrcode() throws Exception {
        ChannelDef ch = new ChannelDef("wx", "wecom", Map.of("url", http.url("/cgi-bin/webhook/send"), "key", "k-693a"));
        channels.send(Samples.to(ch, null));
        HttpReceiver.Request r = http.requests.get(0);
        assertThat(r.path()).isEqualTo("/cgi-bin/webhook/send");
        assertThat(r.param("key")).isEqualTo("k-693a");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("msgtype").asText()).isEqualTo("markdown");
        assertThat(body.at("/markdown/content").asText()).contains("二级(橙色)预警", "#/alarms/a-42");

        http.reply = "{\"errcode\":93000,\"errmsg\":\"invalid webhook url\"}";
        assertThatThrownBy(() -> channels.send(Samples.to(ch, null))).isInstanceOf(PermanentFailure.class);
    }

    @Test
    void smsFillsTheTemplatesAndChecksTheReplyField() throws Exception {
        ChannelDef ch = new ChannelDef("sms", "sms", Map.of("url", http.url("/sms/send?to={phone}"),
                "body", "{\"mobile\":\"{phone}\",\"content\":\"{text}\",\"sign\":\"蒲县安监\"}",
                "template", "【蒲县安监】{level} {site} {what} {value} \"{device}\" {link}",
                "success-field", "result.code", "header.X-Api-Key", "key-1"));
        http.reply = "{\"result\":{\"code\":0}}";
        channels.send(Samples.to(ch, "138-0357-1001"));
        HttpReceiver.Request r = http.requests.get(0);
        assertThat(r.param("to")).isEqualTo("13803571001");
        assertThat(r.header("X-Api-Key")).isEqualTo("key-1");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("mobile").asText()).isEqualTo("13803571001");
        assertThat(body.get("content").asText()).isEqualTo(
                "【蒲县安监】二级(橙色)预警 七号煤矿 甲烷超限 1.2%（阈值 1%） \"T1 (ch4-1)\" https://safegrid.puxian.example/#/alarms/a-42");

        http.reply = "{\"result\":{\"code\":1001,\"msg\":\"balance\"}}";
        assertThatThrownBy(() -> channels.send(Samples.to(ch, "13803571001"))).isInstanceOf(IOException.class)
                .hasMessageContaining("result.code = 1001");
        assertThatThrownBy(() -> channels.send(Samples.to(ch, "li@example.cn"))).isInstanceOf(PermanentFailure.class)
                .hasMessageContaining("not a phone number");
    }

    @Test
    void smsAsAFormPostAndServerErrorsAreRetryableButRefusalsAreNot() throws Exception {
        ChannelDef ch = new ChannelDef("sms", "sms", Map.of("url", http.url("/send"), "content-type",
                "application/x-www-form-urlencoded", "body", "to={phone}&msg={text}", "max-chars", "70"));
        channels.send(Samples.to(ch, "13803571001"));
        String body = http.requests.get(0).body();
        String msg = URLDecoder.decode(body.substring(body.indexOf("msg=") + 4), StandardCharsets.UTF_8);
        assertThat(msg.codePointCount(0, msg.length())).isLessThanOrEqualTo(70);
        assertThat(msg).startsWith("【二级(橙色)预警】").endsWith("#/alarms/a-42");

        http.okStatus = 503;
        assertThatThrownBy(() -> channels.send(Samples.to(ch, "13803571001"))).isInstanceOf(IOException.class)
                .hasMessageContaining("503");
        http.okStatus = 401;
        assertThatThrownBy(() -> channels.send(Samples.to(ch, "13803571001"))).isInstanceOf(PermanentFailure.class)
                .hasMessageContaining("401");
    }

    @Test
    void smsByGetCarriesPhoneAndTextInTheUrl() throws Exception {
        ChannelDef ch = new ChannelDef("sms", "sms", Map.of("url", http.url("/send?u=safegrid&m={phone}&c={text}"),
                "method", "GET", "template", "{level} {site} 请确认"));
        channels.send(Samples.to(ch, "+86 138 0357 1001"));
        HttpReceiver.Request r = http.requests.get(0);
        assertThat(r.method()).isEqualTo("GET");
        assertThat(URLDecoder.decode(r.param("m"), StandardCharsets.UTF_8)).isEqualTo("+8613803571001");
        assertThat(URLDecoder.decode(r.param("c"), StandardCharsets.UTF_8)).isEqualTo("二级(橙色)预警 七号煤矿 请确认");
    }

    @Test
    void mailIsUtf8PlainAndHtml() throws Exception {
        try (SmtpReceiver smtp = new SmtpReceiver()) {
            ChannelDef ch = new ChannelDef("mail", "smtp", Map.of("host", "127.0.0.1", "port", String.valueOf(smtp.port()),
                    "from", "safegrid@puxian.example", "starttls", "optional"));
            channels.send(Samples.to(ch, "zhang.wei@puxian.example"));
            assertThat(smtp.mails).hasSize(1);
            SmtpReceiver.Mail got = smtp.mails.get(0);
            assertThat(got.from()).contains("safegrid@puxian.example");
            assertThat(got.to()).singleElement().asString().contains("zhang.wei@puxian.example");
            MimeMessage mail = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(got.data()));
            assertThat(mail.getSubject()).isEqualTo(MessageRenderer.subject(Samples.message()))
                    .contains("【二级(橙色)预警】七号煤矿 甲烷超限");
            MimeMultipart alt = (MimeMultipart) mail.getContent();
            assertThat(alt.getContentType()).contains("multipart/alternative");
            assertThat(alt.getBodyPart(0).getContentType()).contains("text/plain").containsIgnoringCase("utf-8");
            assertThat((String) alt.getBodyPart(0).getContent()).contains("蒲县 / 克城镇 / 三村 / 七号煤矿", "北京时间",
                    "https://safegrid.puxian.example/#/alarms/a-42");
            assertThat((String) alt.getBodyPart(1).getContent()).contains("<table>", "七号煤矿");
        }
    }

    @Test
    void aNoticesFilesGoAsMailAttachmentsByteForByteAndTheRobotsKeepTheLink() throws Exception {
        byte[] pdf = "%PDF-1.4 report bytes \u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        byte[] xlsx = new byte[300_000];
        new java.util.Random(7).nextBytes(xlsx);
        GridNotice notice = new GridNotice("report:cty:MONTHLY:2026-09-01", null, List.of(), "样县月报已生成", "Monthly report",
                "九月", "September", "https://safegrid.example/api/v1/reports/file?node=cty", Samples.AT,
                List.of(new NoticeAttachment("report-cty-monthly-2026-09-01.pdf", "application/pdf", pdf),
                        new NoticeAttachment("report-cty-monthly-2026-09-01.xlsx",
                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx)));
        try (SmtpReceiver smtp = new SmtpReceiver()) {
            ChannelDef ch = new ChannelDef("mail", "smtp", Map.of("host", "127.0.0.1", "port", String.valueOf(smtp.port()),
                    "from", "safegrid@puxian.example"));
            channels.send(Samples.to(ch, "zhang.wei@puxian.example"), new NoticeWording(notice, "zh"));
            MimeMessage mail = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(smtp.mails.get(0).data()));
            MimeMultipart mixed = (MimeMultipart) mail.getContent();
            assertThat(mixed.getContentType()).contains("multipart/mixed");
            assertThat(mixed.getCount()).isEqualTo(3);
            MimeMultipart alt = (MimeMultipart) mixed.getBodyPart(0).getContent();
            assertThat((String) alt.getBodyPart(0).getContent()).contains("九月", notice.link());
            assertThat(mixed.getBodyPart(1).getFileName()).isEqualTo("report-cty-monthly-2026-09-01.pdf");
            assertThat(mixed.getBodyPart(1).getContentType()).startsWith("application/pdf");
            assertThat(mixed.getBodyPart(1).getDisposition()).isEqualTo("attachment");
            assertThat(mixed.getBodyPart(1).getInputStream().readAllBytes()).isEqualTo(pdf);
            assertThat(mixed.getBodyPart(2).getFileName()).endsWith(".xlsx");
            assertThat(mixed.getBodyPart(2).getInputStream().readAllBytes()).isEqualTo(xlsx);
        }
        ChannelDef ding = new ChannelDef("robot", "dingtalk", Map.of("url", http.url("/robot/send?access_token=t")));
        channels.send(Samples.to(ding, null), new NoticeWording(notice, "zh"));
        assertThat(http.requests.get(0).body()).contains(notice.link()).doesNotContain("%PDF");
    }

    @Test
    void filesOverTheChannelsLimitAreRefusedForGoodNamingFileAndLimit() throws Exception {
        GridNotice notice = new GridNotice("report:cty:MONTHLY:2026-09-01", null, List.of(), "样县月报已生成", "Monthly report",
                "九月", "September", "https://safegrid.example/r", Samples.AT,
                List.of(new NoticeAttachment("big.pdf", "application/pdf", new byte[2 * 1024 * 1024 + 1])));
        try (SmtpReceiver smtp = new SmtpReceiver()) {
            ChannelDef ch = new ChannelDef("mail", "smtp", Map.of("host", "127.0.0.1", "port", String.valueOf(smtp.port()),
                    "from", "safegrid@puxian.example", "attachment-max-kb", "2048"));
            assertThatThrownBy(() -> channels.send(Samples.to(ch, "zhang.wei@puxian.example"), new NoticeWording(notice, "zh")))
                    .isInstanceOf(PermanentFailure.class)
                    .hasMessageContaining("big.pdf (2049 KiB)").hasMessageContaining("attachment-max-kb of 2048");
            assertThat(smtp.mails).isEmpty();
        }
        assertThat(channels.validate(List.of(new ChannelDef("mail", "smtp", Map.of("host", "h", "from", "a@b.cn",
                "attachment-max-kb", "0"))))).containsExactly("channel mail (smtp): attachment-max-kb must be in 1..1048576, not 0");
    }

    @Test
    void mailToNobodyListeningIsRetryable() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        ChannelDef ch = new ChannelDef("mail", "smtp", Map.of("host", "127.0.0.1", "port", String.valueOf(port),
                "from", "safegrid@puxian.example", "timeout", "1s"));
        assertThatThrownBy(() -> channels.send(Samples.to(ch, "a@b.cn"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> channels.send(Samples.to(ch, "not an address"))).isInstanceOf(PermanentFailure.class);
    }

    @Test
    void settingsAreCheckedUpFrontWithClearMessages() {
        List<String> problems = channels.validate(List.of(
                new ChannelDef("robot", "dingtalk", Map.of("url", "https://oapi.dingtalk.com/robot/send", "msgtype", "card")),
                new ChannelDef("wx", "wecom", Map.of("url", "ftp://x")),
                new ChannelDef("sms", "sms", Map.of("url", "http://gw/send", "body", "{\"to\":\"{phone}\"}")),
                new ChannelDef("mail", "smtp", Map.of("port", "99999", "username", "u")),
                new ChannelDef("pager", "pager", Map.of()),
                new ChannelDef("ok", "webhook", Map.of("url", "http://127.0.0.1:1/x", "timeout", "3s"))));
        assertThat(problems).containsExactly(
                "channel robot (dingtalk): url must carry the robot's access_token (…/robot/send?access_token=…)",
                "channel robot (dingtalk): msgtype must be one of markdown, text, not 'card'",
                "channel wx (wecom): url must be an http(s) URL with a host, not 'ftp://x'",
                "channel wx (wecom): the robot's key is needed: in the url (…/webhook/send?key=…) or as the key setting",
                "channel sms (sms): the body (or url) must contain {text}",
                "channel mail (smtp): host is required",
                "channel mail (smtp): from is required",
                "channel mail (smtp): port must be in 1..65535, not 99999",
                "channel mail (smtp): username and password go together",
                "channel pager: type 'pager' is not supported (known: console, webhook, dingtalk, wecom, smtp, sms)");
    }

    @Test
    void aBrokenChannelFailsForGoodWithTheSameMessage() {
        ChannelDef ch = new ChannelDef("robot", "dingtalk", Map.of());
        assertThatThrownBy(() -> channels.send(Samples.to(ch, null))).isInstanceOf(PermanentFailure.class)
                .hasMessage("channel robot (dingtalk): url is required");
    }
}
