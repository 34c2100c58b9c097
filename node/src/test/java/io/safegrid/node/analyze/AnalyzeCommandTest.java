package io.safegrid.node.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.safegrid.node.simulate.SceneClips;
import io.safegrid.node.simulate.SceneScript;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AnalyzeCommandTest {
    static final String GATE = "restricted:gate=0.6,0.45;0.97,0.45;0.97,0.98;0.6,0.98!motion";

    @TempDir
    static Path dir;
    static Path clip;

    /** The simulator's yard, compressed: person in the zone 4–10 s, flame 11–18 s, lens covered 19–24 s. */
    @BeforeAll
    static void makeClip() throws Exception {
        clip = SceneClips.write(dir.resolve("yard.ts"), new SceneScript(4, 10, 11, 18, 19, 24, 100), 27, 10);
    }

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new AnalyzeCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void findsWhatHappensInTheClipAtItsVideoTime() throws Exception {
        Path snaps = dir.resolve("snaps");
        Run r = run(clip.toString(), "--zone", GATE, "--analyzers", "intrusion,fire,smoke,tamper", "--fps", "5",
                "--width", "320", "--json", "--snapshots", snaps.toString());
        assertThat(r.code()).as(r.err()).isZero();
        ObjectMapper m = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String l : r.out().strip().split("\n")) {
            lines.add(m.readTree(l));
        }
        List<String> seen = lines.stream().map(j -> j.get("kind").asText() + " " + j.get("condition").asText()).toList();
        // the flame grows, so its finding is raised from orange to red while it burns
        assertThat(seen).containsExactly("INTRUSION ACTIVE", "INTRUSION CLEARED", "FIRE ACTIVE", "FIRE ACTIVE",
                "FIRE CLEARED", "TAMPER_COVERED ACTIVE", "TAMPER_COVERED CLEARED");
        assertThat(lines.get(0).get("zone").asText()).isEqualTo("gate");
        assertThat(lines.get(0).get("level").asText()).isEqualTo("ORANGE");
        assertThat(lines.get(0).get("time").asDouble()).isBetween(2.5, 5.5);
        assertThat(lines.get(2).get("time").asDouble()).isBetween(11.5, 14.5);
        assertThat(lines.get(2).get("level").asText()).isEqualTo("ORANGE");
        assertThat(lines.get(3).get("level").asText()).isEqualTo("RED");
        assertThat(lines.get(3).get("time").asDouble()).isBetween(12.0, 18.0);
        assertThat(lines.get(4).get("time").asDouble()).isBetween(18.0, 23.0);
        assertThat(lines.get(5).get("time").asDouble()).isBetween(21.0, 23.5);
        assertThat(lines.get(5).get("level").asText()).isEqualTo("YELLOW");
        try (var files = Files.list(snaps)) {
            List<Path> jpegs = files.toList();
            assertThat(jpegs).hasSize(7);
            byte[] head = Files.readAllBytes(jpegs.get(0));
            assertThat(head[0] & 0xff).isEqualTo(0xFF);
            assertThat(head[1] & 0xff).isEqualTo(0xD8);   // JPEG
        }
        assertThat(r.err()).contains("%");                // a progress bar was drawn
    }

    @Test
    void textOutputAndChoosingAnalyzers() {
        Run r = run(clip.toString(), "--analyzers", "tamper", "--width", "320", "--no-progress");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("TAMPER_COVERED").doesNotContain("INTRUSION").doesNotContain("FIRE")
                .contains("2 finding(s)");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void badInputGetsAClearMessage() {
        Run zone = run(clip.toString(), "--zone", "restricted:gate=0.1,0.1;2,0.5");
        assertThat(zone.code()).isEqualTo(2);
        assertThat(zone.err()).contains("bad zone").contains("outside 0..1");

        Run analyzer = run(clip.toString(), "--analyzers", "fire,teleport");
        assertThat(analyzer.code()).isEqualTo(2);
        assertThat(analyzer.err()).contains("unknown analyzer 'teleport'");

        Run missing = run(dir.resolve("nope.mp4").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read");
    }
}
