package io.safegrid.node.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The footage's by-eye labels ({@code labels.json} beside the clips): per clip, moments (seconds
 * from the start) with the visible people count (null where a crowd cannot be counted) and whether
 * fire and smoke are seen.
 */
public record Labels(Map<String, List<Moment>> clips) {

    public record Moment(double t, Integer people, boolean fire, boolean smoke) {
        public boolean has(String kind) {
            return switch (kind) {
                case "fire" -> fire;
                case "smoke" -> smoke;
                default -> false;
            };
        }
    }

    public List<Moment> of(String clip) {
        return clips.getOrDefault(clip, List.of());
    }

    public static Labels read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        JsonNode clips = root.path("clips");
        if (!clips.isObject()) {
            throw new IOException(file + ": no \"clips\" object");
        }
        Map<String, List<Moment>> out = new LinkedHashMap<>();
        clips.properties().forEach(e -> {
            List<Moment> moments = new ArrayList<>();
            for (JsonNode n : e.getValue()) {
                JsonNode p = n.path("people");
                moments.add(new Moment(n.path("t").asDouble(), p.isNumber() ? p.asInt() : null,
                        n.path("fire").asBoolean(), n.path("smoke").asBoolean()));
            }
            out.put(e.getKey(), List.copyOf(moments));
        });
        return new Labels(out);
    }
}
