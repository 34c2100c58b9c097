package io.safegrid.node.hazard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hazard API over real HTTP with the real register: scope, roles and bad input, on every endpoint. */
class HazardApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String JPEG = Base64.getEncoder().encodeToString(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16});
    @TempDir
    Path dir;
    HazardConsole c;

    @BeforeEach
    void start() throws Exception {
        c = new HazardConsole(dir, 16 * 1024, store());
    }

    /** The register's database: null for the embedded H2 file; the Postgres… subclass gives a PostgreSQL one. */
    String[] store() throws Exception {
        return null;
    }

    @AfterEach
    void stop() {
        c.close();
    }

    JsonNode json(HttpResponse<String> r) throws Exception { return JSON.readTree(r.body()); }

    String report(String user, String site, String grade) throws Exception {
        String source = user.equals("zhang-hui") ? "self-check" : "township-inspection";
        HttpResponse<String> r = c.post(user, "/api/v1/hazards", "{\"site\":\"" + site + "\",\"grade\":\"" + grade
                + "\",\"source\":\"" + source + "\",\"description\":\"消防通道堵塞\",\"photos\":[{\"data\":\"" + JPEG + "\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("id").asText();
    }

    @Test
    void anEnterpriseSeesAndChangesOnlyItsOwnHazards() throws Exception {
        String own = report("zhang-hui", "puxian/kecheng/dongyu/kecheng-coal", "general");
        String other = report("zheng-ming", "puxian/kecheng/dongyu/dongyu-brick", "larger");
        assertThat(c.get("zhang-hui", "/api/v1/hazards").body()).contains(own).doesNotContain(other);
        String photo = json(c.get("zheng-ming", "/api/v1/hazards/" + other)).get("photos").get(0).get("id").asText();
        for (String path : new String[] {"/api/v1/hazards/" + other, "/api/v1/hazards/" + other + "/timeline",
                "/api/v1/hazards/" + other + "/photos/" + photo}) {
            assertThat(c.get("zhang-hui", path).statusCode()).as(path).isEqualTo(404);
        }
        for (String action : new String[] {"assign", "rectify", "submit", "accept", "reject", "list", "photos"}) {
            assertThat(c.post("zhang-hui", "/api/v1/hazards/" + other + "/" + action, "{}").statusCode()).as(action).isEqualTo(404);
        }
        assertThat(c.post("zhang-hui", "/api/v1/hazards", "{\"site\":\"puxian/kecheng/dongyu/dongyu-brick\",\"grade\":\"general\","
                + "\"description\":\"x\"}").statusCode()).isEqualTo(404);
        // its own photo is served, as an image, to it
        String ownPhoto = json(c.get("zhang-hui", "/api/v1/hazards/" + own)).get("photos").get(0).get("id").asText();
        HttpResponse<byte[]> img = c.getBytes("zhang-hui", "/api/v1/hazards/" + own + "/photos/" + ownPhoto);
        assertThat(img.statusCode()).isEqualTo(200);
        assertThat(img.headers().firstValue("content-type")).hasValue("image/jpeg");
        // and it may not review its own rectification or list it: 403 with the key
        HttpResponse<String> r = c.post("zhang-hui", "/api/v1/hazards/" + own + "/accept", "{}");
        assertThat(r.statusCode()).isEqualTo(409);   // not submitted yet: the state speaks first
        String big = report("zhang-hui", "puxian/kecheng/dongyu/kecheng-coal", "major");
        r = c.post("zhang-hui", "/api/v1/hazards/" + big + "/list", "{\"orderNo\":\"1\",\"deadline\":\"2027-01-01T00:00:00Z\"}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).get("key").asText()).isEqualTo("hazardListLevel");
    }

    @Test
    void aTownshipCannotAcceptWhatTheCountyListed() throws Exception {
        String id = report("zheng-ming", "puxian/kecheng/dongyu/kecheng-coal", "major");
        String five = "{\"responsible\":\"zhang-hui\",\"measures\":\"更换\",\"fundsYuan\":30000,\"deadline\":\""
                + HazardConsole.START.plus(Duration.ofDays(10)) + "\",\"emergencyPlan\":\"预案\"}";
        assertThat(c.post("zheng-ming", "/api/v1/hazards/" + id + "/assign", five).statusCode()).isEqualTo(200);
        HttpResponse<String> listed = c.post("wang-fang", "/api/v1/hazards/" + id + "/list",
                "{\"orderNo\":\"蒲安督〔2026〕7号\",\"deadline\":\"" + HazardConsole.START.plus(Duration.ofDays(20)) + "\"}");
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        assertThat(c.get("zheng-ming", "/api/v1/supervision").body()).contains("蒲安督〔2026〕7号");
        assertThat(c.post("zhang-hui", "/api/v1/hazards/" + id + "/rectify", "{}").statusCode()).isEqualTo(200);
        assertThat(c.post("zhang-hui", "/api/v1/hazards/" + id + "/submit", "{\"note\":\"已完成\"}").statusCode()).isEqualTo(200);
        HttpResponse<String> r = c.post("zheng-ming", "/api/v1/hazards/" + id + "/accept", "{}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).get("key").asText()).isEqualTo("hazardListingLevel");
        assertThat(c.post("wang-fang", "/api/v1/hazards/" + id + "/accept", "{\"note\":\"县级核查\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void badInputIsAClear400AndNothingIsWritten() throws Exception {
        String id = report("zheng-ming", "puxian/kecheng/dongyu/kecheng-coal", "major");
        HttpResponse<String> r = c.post("zheng-ming", "/api/v1/hazards/" + id + "/assign",
                "{\"responsible\":\"zhang-hui\",\"deadline\":\"" + HazardConsole.START.plus(Duration.ofDays(3)) + "\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("key").asText()).isEqualTo("hazardFiveMeasures");
        r = c.post("zheng-ming", "/api/v1/hazards/" + id + "/assign", "{\"responsible\":\"zhang-hui\",\"measures\":\"m\","
                + "\"fundsYuan\":1,\"emergencyPlan\":\"p\",\"deadline\":\"" + HazardConsole.START.minusSeconds(1) + "\"}");
        assertThat(json(r).get("key").asText()).isEqualTo("hazardDeadlinePast");
        assertThat(json(c.get("zheng-ming", "/api/v1/hazards/" + id)).get("state").asText()).isEqualTo("reported");
        assertThat(c.get("zheng-ming", "/api/v1/hazards/" + id + "/timeline").body()).contains("REPORTED")
                .doesNotContain("ASSIGNED");

        long before = json(c.get("wang-fang", "/api/v1/hazards")).get("total").asLong();
        String html = Base64.getEncoder().encodeToString("<svg onload=alert(1)>".getBytes());
        r = c.post("zhang-hui", "/api/v1/hazards", "{\"site\":\"puxian/kecheng/dongyu/kecheng-coal\",\"grade\":\"general\","
                + "\"description\":\"d\",\"photos\":[{\"data\":\"" + html + "\"}]}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("key").asText()).isEqualTo("hazardPhotoType");
        byte[] big = new byte[20 * 1024];
        big[0] = (byte) 0xFF;
        big[1] = (byte) 0xD8;
        big[2] = (byte) 0xFF;
        r = c.post("zhang-hui", "/api/v1/hazards", "{\"site\":\"puxian/kecheng/dongyu/kecheng-coal\",\"grade\":\"general\","
                + "\"description\":\"d\",\"photos\":[{\"data\":\"" + Base64.getEncoder().encodeToString(big) + "\"}]}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("key").asText()).isEqualTo("hazardPhotoTooLarge");
        assertThat(json(c.get("wang-fang", "/api/v1/hazards")).get("total").asLong()).isEqualTo(before);
    }

    @Test
    void theListFiltersByGradeStateAndOverdue() throws Exception {
        String a = report("zheng-ming", "puxian/kecheng/dongyu/kecheng-coal", "larger");
        report("zheng-ming", "puxian/kecheng/dongyu/dongyu-brick", "general");
        c.post("zheng-ming", "/api/v1/hazards/" + a + "/assign", "{\"responsible\":\"zhang-hui\",\"deadline\":\""
                + HazardConsole.START.plus(Duration.ofDays(1)) + "\"}");
        c.clock.advance(Duration.ofDays(2));
        JsonNode overdue = json(c.get("zheng-ming", "/api/v1/hazards?overdue=true"));
        assertThat(overdue.get("total").asLong()).isEqualTo(1);
        assertThat(overdue.get("items").get(0).get("overdue").asBoolean()).isTrue();
        assertThat(json(c.get("zheng-ming", "/api/v1/hazards?grade=general&state=open")).get("total").asLong()).isEqualTo(1);
        assertThat(json(c.get("zheng-ming", "/api/v1/hazards?node=puxian/kecheng/dongyu/dongyu-brick")).get("total").asLong()).isEqualTo(1);
        assertThat(c.get("zheng-ming", "/api/v1/hazards?grade=huge").statusCode()).isEqualTo(400);
        assertThat(c.get("zheng-ming", "/api/v1/hazards?node=puxian/pucheng").statusCode()).isEqualTo(404);
        // the industry department sees the enterprise it is responsible for, across townships
        assertThat(c.register.list(io.safegrid.model.hazard.HazardQuery.within(io.safegrid.model.grid.GridPath.parse("puxian")))
                .total()).isEqualTo(2);
    }

    @Test
    void theApiDescriptionHasEveryHazardRoute() throws Exception {
        java.net.http.HttpResponse<String> spec = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(c.uri("/api/openapi.yaml")).build(), HttpResponse.BodyHandlers.ofString());
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) new org.snakeyaml.engine.v2.api.Load(
                org.snakeyaml.engine.v2.api.LoadSettings.builder().build()).loadFromString(spec.body());
        assertThat(((Map<?, ?>) doc.get("paths")).keySet().stream().map(Object::toString).toList()).contains("/api/v1/hazards", "/api/v1/hazards/{id}",
                "/api/v1/hazards/{id}/timeline", "/api/v1/hazards/{id}/photos/{photo}", "/api/v1/hazards/{id}/photos",
                "/api/v1/hazards/{id}/assign", "/api/v1/hazards/{id}/rectify", "/api/v1/hazards/{id}/submit",
                "/api/v1/hazards/{id}/accept", "/api/v1/hazards/{id}/reject", "/api/v1/hazards/{id}/list",
                "/api/v1/supervision", "/api/v1/alarms/{id}/hazard", "/api/v1/findings/{id}/hazard", "/api/v1/dossier",
                "/api/v1/dossier/expiring", "/api/v1/dossier/{id}/history", "/api/v1/dossier/{id}/remove",
                "/api/v1/dossier/{id}/documents", "/api/v1/dossier/{id}/documents/{doc}");
        assertThat(((Map<?, ?>) ((Map<?, ?>) doc.get("components")).get("schemas")).keySet().stream().map(Object::toString).toList()).contains("Hazard", "PhotoUpload");
    }

    @Test
    void theDossierIsTheEnterprisesOwnAndItsSupervisors() throws Exception {
        String coal = "puxian/kecheng/dongyu/kecheng-coal";
        String soon = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).plusDays(10).toString();
        HttpResponse<String> r = c.post("zhang-hui", "/api/v1/dossier", "{\"site\":\"" + coal + "\",\"kind\":\"licence\","
                + "\"name\":\"安全生产许可证\",\"number\":\"（晋）MK安许证字〔2024〕001\",\"issued\":\"2024-01-01\",\"expires\":\"" + soon + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String licence = json(r).get("id").asText();
        assertThat(json(r).get("expiresSoon").asBoolean()).isTrue();
        r = c.post("zheng-ming", "/api/v1/dossier", "{\"site\":\"puxian/kecheng/dongyu/dongyu-brick\",\"kind\":\"certificate\","
                + "\"name\":\"特种作业操作证\",\"holder\":\"陈军\",\"expires\":\"2027-03-01\"}");
        String other = json(r).get("id").asText();
        report("zhang-hui", coal, "general");

        JsonNode d = json(c.get("zhang-hui", "/api/v1/dossier?site=" + coal));
        assertThat(d.get("name").asText()).isEqualTo("山西蒲县克城煤业有限公司");
        assertThat(d.get("profile").get("departments").get(0).asText()).isEqualTo("puxian/emergency");
        assertThat(d.get("items")).hasSize(1);
        assertThat(d.get("history").get("hazardsOpen").asLong()).isEqualTo(1);
        assertThat(json(c.get("zheng-ming", "/api/v1/dossier?site=" + coal)).get("items")).hasSize(1);
        assertThat(c.get("zhang-hui", "/api/v1/dossier/" + licence + "/history").body()).contains("zhang-hui create");

        // another enterprise's dossier and entries do not exist for this one
        assertThat(c.get("zhang-hui", "/api/v1/dossier?site=puxian/kecheng/dongyu/dongyu-brick").statusCode()).isEqualTo(404);
        assertThat(c.get("zhang-hui", "/api/v1/dossier/" + other + "/history").statusCode()).isEqualTo(404);
        assertThat(c.post("zhang-hui", "/api/v1/dossier/" + other + "/remove", "{}").statusCode()).isEqualTo(404);
        assertThat(c.post("zhang-hui", "/api/v1/dossier", "{\"id\":\"" + other + "\",\"site\":\"" + coal
                + "\",\"kind\":\"licence\",\"name\":\"x\"}").statusCode()).isEqualTo(404);
        assertThat(c.post("zhang-hui", "/api/v1/dossier", "{\"site\":\"puxian/kecheng/dongyu/dongyu-brick\",\"kind\":\"licence\","
                + "\"name\":\"x\"}").statusCode()).isEqualTo(404);
        assertThat(json(c.get("zhang-hui", "/api/v1/dossier/expiring")).toString()).contains(licence).doesNotContain(other);
        assertThat(json(c.get("zheng-ming", "/api/v1/dossier/expiring?days=400")).toString()).contains(licence, other);

        r = c.post("zhang-hui", "/api/v1/dossier", "{\"site\":\"" + coal + "\",\"kind\":\"insurance\",\"name\":\"工伤保险\","
                + "\"issued\":\"2026-01-01\",\"expires\":\"2025-12-31\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("key").asText()).isEqualTo("archiveDates");
        r = c.post("zhang-hui", "/api/v1/dossier", "{\"site\":\"" + coal + "\",\"kind\":\"insurance\",\"name\":\"工伤保险\","
                + "\"expires\":\"next year\"}");
        assertThat(json(r).get("key").asText()).isEqualTo("archiveDates");
        assertThat(c.post("zhang-hui", "/api/v1/dossier/" + licence + "/remove", "{}").statusCode()).isEqualTo(200);
        assertThat(json(c.get("zhang-hui", "/api/v1/dossier?site=" + coal)).get("items")).isEmpty();
    }
}
