package io.safegrid.node.hazard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Photos and scanned documents through the real console and register: a phone's photo is stored
 * byte for byte, a body over its route's limit is refused before it is read, a document's type is
 * read from its bytes, and a document is served only within the reader's scope.
 */
class UploadLimitsTest {
    @TempDir
    Path dir;
    HazardConsole c;

    @BeforeEach
    void start() throws Exception {
        c = new HazardConsole(dir, 8 << 20, store());
    }

    /** The register's database: null for the embedded H2 file; the Postgres… subclass gives a PostgreSQL one. */
    String[] store() throws Exception {
        return null;
    }

    @AfterEach
    void stop() {
        c.close();
    }

    static JsonNode json(HttpResponse<String> r) throws Exception { return HazardApiTest.JSON.readTree(r.body()); }

    /** {@code n} bytes that begin as a JPEG does and are otherwise random (no compression could hide a shrink). */
    static byte[] jpeg(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        b[0] = (byte) 0xFF;
        b[1] = (byte) 0xD8;
        b[2] = (byte) 0xFF;
        return b;
    }

    /** What the console answers a POST head with, before any of the declared body is sent. */
    String statusForDeclared(String path, long length) throws Exception {
        try (Socket s = new Socket("127.0.0.1", c.console.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + c.login("zhang-hui")
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);   // the console closes after a refusal
        }
    }

    @Test
    void aPhonePhotoOfFourMegabytesIsStoredAsSent() throws Exception {
        byte[] photo = jpeg(4_200_000);
        HttpResponse<String> r = c.post("zhang-hui", "/api/v1/hazards", "{\"site\":\"puxian/kecheng/dongyu/kecheng-coal\","
                + "\"grade\":\"general\",\"source\":\"self-check\",\"description\":\"配电室门锁损坏\",\"photos\":[{\"data\":\""
                + Base64.getEncoder().encodeToString(photo) + "\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode h = json(r);
        String photoId = h.get("photos").get(0).get("id").asText();
        HttpResponse<byte[]> back = c.getBytes("zhang-hui", "/api/v1/hazards/" + h.get("id").asText() + "/photos/" + photoId);
        assertThat(back.statusCode()).isEqualTo(200);
        assertThat(back.body()).isEqualTo(photo);
    }

    @Test
    void aBodyOverItsRoutesLimitIsRefusedFromItsDeclaredLength() throws Exception {
        // upload routes: one photo of hazards.photo-max-kb (8 MiB in the demo) as base64 beside 64 KiB of JSON
        assertThat(statusForDeclared("/api/v1/hazards", 12_000_000)).startsWith("HTTP/1.1 413").contains("requestTooLarge");
        assertThat(statusForDeclared("/api/v1/hazards/hz-1/submit", 12_000_000)).startsWith("HTTP/1.1 413");
        // every other route keeps the console's 64 KiB
        assertThat(statusForDeclared("/api/v1/dossier", 100_000)).startsWith("HTTP/1.1 413");
        assertThat(statusForDeclared("/api/v1/hazards/hz-1/assign", 100_000)).startsWith("HTTP/1.1 413");
        // and the console still answers normally after those refusals
        assertThat(c.get("zhang-hui", "/api/v1/hazards").statusCode()).isEqualTo(200);
    }

    String entry(String user, String site) throws Exception {
        HttpResponse<String> r = c.post(user, "/api/v1/dossier", "{\"site\":\"" + site + "\",\"kind\":\"licence\","
                + "\"name\":\"安全生产许可证\",\"expires\":\"2027-06-30\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).get("id").asText();
    }

    HttpResponse<String> attach(String user, String entry, String name, byte[] data) throws Exception {
        return c.post(user, "/api/v1/dossier/" + entry + "/documents", "{\"name\":\"" + name + "\",\"data\":\""
                + Base64.getEncoder().encodeToString(data) + "\"}");
    }

    @Test
    void aScannedLicenceIsKeptWithItsEntryAndServedOnlyWithinScope() throws Exception {
        String own = entry("zhang-hui", "puxian/kecheng/dongyu/kecheng-coal");
        byte[] pdf = ("%PDF-1.7\n" + "x".repeat(200_000) + "\n%%EOF").getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> r = attach("zhang-hui", own, "许可证.pdf", pdf);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String doc = json(r).get("id").asText();
        assertThat(json(r).get("contentType").asText()).isEqualTo("application/pdf");
        JsonNode dossier = json(c.get("zhang-hui", "/api/v1/dossier?site=puxian/kecheng/dongyu/kecheng-coal"));
        assertThat(dossier.get("items").get(0).get("documents").get(0).get("name").asText()).isEqualTo("许可证.pdf");
        for (String reader : new String[] {"zhang-hui", "zheng-ming", "wang-fang"}) {
            HttpResponse<byte[]> got = c.getBytes(reader, "/api/v1/dossier/" + own + "/documents/" + doc);
            assertThat(got.statusCode()).as(reader).isEqualTo(200);
            assertThat(got.body()).isEqualTo(pdf);
            assertThat(got.headers().firstValue("content-type")).hasValue("application/pdf");
            assertThat(got.headers().firstValue("content-security-policy")).hasValue("sandbox");
        }
        assertThat(c.get("zhang-hui", "/api/v1/dossier/" + own + "/history").body()).contains("attach", "许可证.pdf");

        // another enterprise's entry (in 蒲城镇): neither readable nor attachable, and no document id leaks across entries
        String other = entry("wang-fang", "puxian/pucheng/xiangyang/hongda-chem");
        String otherDoc = json(attach("wang-fang", other, "plan.pdf", pdf)).get("id").asText();
        assertThat(c.getBytes("zhang-hui", "/api/v1/dossier/" + other + "/documents/" + otherDoc).statusCode()).isEqualTo(404);
        assertThat(attach("zhang-hui", other, "x.pdf", pdf).statusCode()).isEqualTo(404);
        assertThat(c.getBytes("zheng-ming", "/api/v1/dossier/" + other + "/documents/" + otherDoc).statusCode()).isEqualTo(404);
        assertThat(c.getBytes("zhang-hui", "/api/v1/dossier/" + own + "/documents/" + otherDoc).statusCode()).isEqualTo(404);
        assertThat(c.get("zhang-hui", "/api/v1/dossier?site=puxian/pucheng/xiangyang/hongda-chem").statusCode()).isEqualTo(404);
    }

    @Test
    void aDocumentsTypeComesFromItsBytesAndItsSizeIsCapped() throws Exception {
        String own = entry("zhang-hui", "puxian/kecheng/dongyu/kecheng-coal");
        HttpResponse<String> r = attach("zhang-hui", own, "licence.pdf", "<html><script>alert(1)</script>".getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("key").asText()).isEqualTo("archiveDocumentType");
        byte[] big = jpeg(io.safegrid.model.archive.EnterpriseArchive.DOCUMENT_MAX_BYTES + 1);
        r = attach("zhang-hui", own, "scan.jpg", big);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("key").asText()).isEqualTo("archiveDocumentTooLarge");
        assertThat(attach("zhang-hui", own, "scan.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0})
                .statusCode()).isEqualTo(201);
        JsonNode docs = json(c.get("zhang-hui", "/api/v1/dossier?site=puxian/kecheng/dongyu/kecheng-coal")).get("items").get(0)
                .get("documents");
        assertThat(docs).hasSize(1);   // the refused ones left nothing behind
        assertThat(docs.get(0).get("contentType").asText()).isEqualTo("image/png");
    }
}
