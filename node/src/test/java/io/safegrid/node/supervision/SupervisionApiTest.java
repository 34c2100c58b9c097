package io.safegrid.node.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inspection and red-line API over real HTTP, as each demo user sees it: plans are supervisors'
 * (403 for an enterprise), an unannounced task stays hidden from its enterprise until it is done (404),
 * a township cannot list another township's enterprise (404), an enterprise sees its own violations
 * only, and bad input is refused with its message key and nothing stored.
 */
class SupervisionApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DUE = "2026-12-31T15:59:00Z";

    @TempDir
    Path dir;
    SupervisionConsole c;

    @BeforeEach
    void start() throws Exception {
        c = new SupervisionConsole(dir);
    }

    @AfterEach
    void stop() {
        c.close();
    }

    private JsonNode ok(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    private String planFor(String user, String subtree, boolean unannounced) throws Exception {
        return ok(c.http.post(user, "/api/v1/inspections/plans", "{\"title\":\"四季度检查\",\"template\":\"coal\",\"dueAt\":\"" + DUE
                + "\",\"rule\":{\"subtree\":\"" + subtree + "\",\"minRisk\":\"larger\"},\"unannounced\":" + unannounced + "}"), 201)
                .get("id").asText();
    }

    @Test
    void anUnannouncedTaskIsHiddenFromItsEnterpriseUntilItIsDone() throws Exception {
        String plan = planFor("zheng-ming", "puxian/kecheng", true);
        JsonNode tasks = ok(c.http.get("zheng-ming", "/api/v1/inspections/tasks?plan=" + plan), 200).get("items");
        assertThat(tasks).hasSize(2);
        String coal = null;
        for (JsonNode t : tasks) {
            if (t.get("target").asText().endsWith("kecheng-coal")) {
                coal = t.get("id").asText();
            }
        }
        assertThat(c.http.get("zhang-hui", "/api/v1/inspections/plans").statusCode()).isEqualTo(403);
        assertThat(c.http.get("zhang-hui", "/api/v1/inspections/plans/" + plan).statusCode()).isEqualTo(403);
        assertThat(ok(c.http.get("zhang-hui", "/api/v1/inspections/tasks"), 200).get("items")).isEmpty();
        assertThat(c.http.get("zhang-hui", "/api/v1/inspections/tasks/" + coal).statusCode()).isEqualTo(404);
        // the enterprise cannot check its own items either
        assertThat(c.http.post("zhang-hui", "/api/v1/inspections/tasks/" + coal + "/items/1", "{\"outcome\":\"pass\"}")
                .statusCode()).isEqualTo(404);

        for (int i = 1; i <= 7; i++) {
            ok(c.http.post("zheng-ming", "/api/v1/inspections/tasks/" + coal + "/items/" + i, "{\"outcome\":\"pass\"}"), 200);
        }
        ok(c.http.post("zheng-ming", "/api/v1/inspections/tasks/" + coal + "/complete", "{\"location\":\"东峪\"}"), 200);
        JsonNode seen = ok(c.http.get("zhang-hui", "/api/v1/inspections/tasks/" + coal), 200);
        assertThat(seen.get("done").asBoolean()).isTrue();
        assertThat(ok(c.http.get("zhang-hui", "/api/v1/inspections/tasks"), 200).get("items")).hasSize(1);
        // the county sees the township's plan and its completion
        assertThat(c.http.get("wang-fang", "/api/v1/inspections/plans/" + plan).statusCode()).isEqualTo(200);
        JsonNode completion = ok(c.http.get("wang-fang", "/api/v1/inspections/completion?from=2026-10-01T00:00:00Z&to=2027-01-01T00:00:00Z"), 200);
        assertThat(completion.get("due").asInt()).isEqualTo(2);
        assertThat(completion.get("done").asInt()).isEqualTo(1);
    }

    @Test
    void badInputIsRefusedWithItsKeyAndNothingIsStored() throws Exception {
        HttpResponse<String> past = c.http.post("zheng-ming", "/api/v1/inspections/plans",
                "{\"title\":\"x\",\"template\":\"coal\",\"dueAt\":\"2026-01-01T00:00:00Z\",\"targets\":[\"puxian/kecheng/dongyu/kecheng-coal\"]}");
        assertThat(past.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(past.body()).get("key").asText()).isEqualTo("svDueInPast");
        HttpResponse<String> foreign = c.http.post("zheng-ming", "/api/v1/inspections/plans",
                "{\"title\":\"x\",\"template\":\"coal\",\"dueAt\":\"" + DUE + "\",\"targets\":[\"puxian/pucheng/xiangyang/hongda-chem\"]}");
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(ok(c.http.get("wang-fang", "/api/v1/inspections/plans"), 200).get("items")).isEmpty();

        String plan = planFor("zheng-ming", "puxian/kecheng", false);
        String task = ok(c.http.get("zheng-ming", "/api/v1/inspections/tasks?plan=" + plan), 200).get("items").get(0).get("id").asText();
        HttpResponse<String> gif = c.http.post("zheng-ming", "/api/v1/inspections/tasks/" + task + "/items/1",
                "{\"outcome\":\"fail\",\"note\":\"x\",\"photos\":[\"R0lGODlhAQABAAAAACw=\"]}");
        assertThat(gif.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(gif.body()).get("key").asText()).isEqualTo("hazardPhotoType");
        HttpResponse<String> noNote = c.http.post("zheng-ming", "/api/v1/inspections/tasks/" + task + "/items/1", "{\"outcome\":\"fail\"}");
        assertThat(JSON.readTree(noNote.body()).get("key").asText()).isEqualTo("svNoteRequired");
        assertThat(ok(c.http.get("zheng-ming", "/api/v1/inspections/tasks/" + task), 200).get("items").get(0).get("outcome").asText())
                .isEqualTo("pending");
        HttpResponse<String> early = c.http.post("zheng-ming", "/api/v1/inspections/tasks/" + task + "/complete", "{}");
        assertThat(early.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(early.body()).get("key").asText()).isEqualTo("svItemsUnchecked");
    }

    @Test
    void aTownshipListsOnlyItsOwnEnterprisesAndAnEnterpriseSeesOnlyItsOwnViolations() throws Exception {
        String coal = "puxian/kecheng/dongyu/kecheng-coal";
        String brick = "puxian/kecheng/dongyu/dongyu-brick";
        for (int i = 0; i < 3; i++) {
            ok(c.http.post("zheng-ming", "/api/v1/redline/violations", "{\"site\":\"" + coal
                    + "\",\"severity\":\"serious\",\"description\":\"甲烷断电闭锁被短接 " + i + "\",\"worker\":\"李四\"}"), 201);
        }
        JsonNode brickViolation = ok(c.http.post("zheng-ming", "/api/v1/redline/violations", "{\"site\":\"" + brick
                + "\",\"severity\":\"general\",\"description\":\"无证上岗\"}"), 201);
        assertThat(c.http.post("zhang-hui", "/api/v1/redline/violations", "{\"site\":\"" + coal
                + "\",\"severity\":\"general\",\"description\":\"x\"}").statusCode()).isEqualTo(403);
        assertThat(c.http.post("zheng-ming", "/api/v1/redline/violations", "{\"site\":\"" + coal
                + "\",\"severity\":\"bad\",\"description\":\"x\"}").statusCode()).isEqualTo(400);

        JsonNode own = ok(c.http.get("zhang-hui", "/api/v1/redline/violations"), 200).get("items");
        assertThat(own).hasSize(3).allSatisfy(v -> assertThat(v.get("site").asText()).isEqualTo(coal));
        assertThat(ok(c.http.get("zheng-ming", "/api/v1/redline/violations"), 200).get("items")).hasSize(4);
        assertThat(c.http.get("zhang-hui", "/api/v1/redline/candidates").statusCode()).isEqualTo(403);
        JsonNode cand = ok(c.http.get("zheng-ming", "/api/v1/redline/candidates"), 200).get("items");
        assertThat(cand).singleElement().satisfies(x -> assertThat(x.get("site").asText()).isEqualTo(coal));

        // another township's enterprise: as if it did not exist
        assertThat(c.http.post("zheng-ming", "/api/v1/redline/entries",
                "{\"site\":\"puxian/pucheng/xiangyang/hongda-chem\",\"reason\":\"x\"}").statusCode()).isEqualTo(404);
        String entry = ok(c.http.post("zheng-ming", "/api/v1/redline/entries", "{\"site\":\"" + coal
                + "\",\"ruleId\":\"three-serious-a-year\",\"reason\":\"一年内三次严重违法\"}"), 201).get("id").asText();
        String brickEntry = ok(c.http.post("wang-fang", "/api/v1/redline/entries", "{\"site\":\"" + brick + "\",\"reason\":\"x\","
                + "\"violationIds\":[\"" + brickViolation.get("id").asText() + "\"]}"), 201).get("id").asText();
        assertThat(ok(c.http.get("zhang-hui", "/api/v1/redline/entries"), 200).get("items")).hasSize(1);
        assertThat(c.http.get("zhang-hui", "/api/v1/redline/entries/" + brickEntry).statusCode()).isEqualTo(404);
        assertThat(c.http.post("zheng-ming", "/api/v1/redline/entries/" + brickEntry + "/remove", "{\"note\":\"x\"}").statusCode())
                .isEqualTo(403);
        assertThat(c.http.post("zheng-ming", "/api/v1/redline/entries/" + entry + "/hand-off",
                "{\"authority\":\"县市场监督管理局\"}").statusCode()).isEqualTo(403);

        c.clock.advance(Duration.ofDays(1));
        ok(c.http.post("zhang-hui", "/api/v1/redline/entries/" + entry + "/appeal", "{\"note\":\"第三次认定有误\"}"), 200);
        ok(c.http.post("zheng-ming", "/api/v1/redline/entries/" + entry + "/decide", "{\"upheld\":false,\"note\":\"认定无误\"}"), 200);
        JsonNode handed = ok(c.http.post("wang-fang", "/api/v1/redline/entries/" + entry + "/hand-off",
                "{\"authority\":\"县市场监督管理局\",\"reference\":\"蒲应急函〔2026〕12号\"}"), 200);
        assertThat(handed.get("state").asText()).isEqualTo("handed-off");
        JsonNode history = ok(c.http.get("zhang-hui", "/api/v1/redline/entries/" + entry), 200).get("history");
        assertThat(history).extracting(h -> h.get("type").asText()).containsExactly("listed", "appealed", "appeal-rejected", "handed-off");
    }

    @Test
    void aFailedItemAndAHazardBecomeViolationsCarryingWhereTheyCameFrom() throws Exception {
        String plan = planFor("zheng-ming", "puxian/kecheng", false);
        String task = ok(c.http.get("zheng-ming", "/api/v1/inspections/tasks?plan=" + plan), 200).get("items").get(0).get("id").asText();
        ok(c.http.post("zheng-ming", "/api/v1/inspections/tasks/" + task + "/items/2", "{\"outcome\":\"fail\",\"note\":\"断电闭锁被短接\"}"), 200);
        assertThat(c.http.post("zheng-ming", "/api/v1/inspections/tasks/" + task + "/items/3/violation", "{\"severity\":\"serious\"}")
                .statusCode()).isEqualTo(409);
        JsonNode fromItem = ok(c.http.post("zheng-ming", "/api/v1/inspections/tasks/" + task + "/items/2/violation",
                "{\"severity\":\"serious\",\"worker\":\"王五\"}"), 201);
        assertThat(fromItem.get("source").asText()).isEqualTo("inspection");
        assertThat(fromItem.get("sourceRef").asText()).isEqualTo(task + "#2");
        assertThat(fromItem.get("description").asText()).contains("断电闭锁被短接");
        JsonNode raised = ok(c.http.post("zheng-ming", "/api/v1/inspections/tasks/" + task + "/items/2/hazard", "{\"grade\":\"larger\"}"), 200);
        String hazard = raised.get("items").get(1).get("hazardId").asText();
        JsonNode fromHazard = ok(c.http.post("zheng-ming", "/api/v1/hazards/" + hazard + "/violation", "{\"severity\":\"general\"}"), 201);
        assertThat(fromHazard.get("source").asText()).isEqualTo("hazard");
        assertThat(fromHazard.get("sourceRef").asText()).isEqualTo(hazard);
        // an alarm this node does not hold is answered like any unknown id
        assertThat(c.http.post("wang-fang", "/api/v1/alarms/a-none/violation", "{\"severity\":\"general\"}").statusCode())
                .isEqualTo(404);
        assertThat(ok(c.http.get("zhang-hui", "/api/v1/redline/violations"), 200).get("items"))
                .allSatisfy(v -> assertThat(v.get("site").asText()).endsWith("kecheng-coal"));
    }

    @Test
    void everyRouteIsInTheOpenApiDescription() throws Exception {
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> doc = (java.util.Map<String, Object>) new org.snakeyaml.engine.v2.api.Load(
                org.snakeyaml.engine.v2.api.LoadSettings.builder().build()).loadFromString(c.http.get(null, "/api/openapi.yaml").body());
        assertThat(((java.util.Map<?, ?>) doc.get("paths")).keySet().stream().map(Object::toString).toList()).contains(
                "/api/v1/inspections/templates", "/api/v1/inspections/plans", "/api/v1/inspections/plans/{id}",
                "/api/v1/inspections/tasks", "/api/v1/inspections/tasks/{id}", "/api/v1/inspections/tasks/{id}/items/{no}",
                "/api/v1/inspections/tasks/{id}/items/{no}/hazard", "/api/v1/inspections/tasks/{id}/items/{no}/reinspect",
                "/api/v1/inspections/tasks/{id}/complete", "/api/v1/inspections/tasks/{id}/photos/{photo}",
                "/api/v1/inspections/improvements", "/api/v1/inspections/completion", "/api/v1/redline/violations",
                "/api/v1/inspections/tasks/{id}/items/{no}/violation", "/api/v1/hazards/{id}/violation",
                "/api/v1/alarms/{id}/violation", "/api/v1/redline/rules", "/api/v1/redline/candidates", "/api/v1/redline/entries",
                "/api/v1/redline/entries/{id}", "/api/v1/redline/entries/{id}/appeal", "/api/v1/redline/entries/{id}/decide",
                "/api/v1/redline/entries/{id}/remove", "/api/v1/redline/entries/{id}/hand-off");
    }
}
