package io.safegrid.console.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.safegrid.model.hazard.PhotoUpload;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Reading the parts of a JSON body that several routes share: lists of names and base64 photos. */
public final class Bodies {
    private Bodies() {
    }

    /** {@code field: ["a", "b"]}, each at most {@code maxChars}; empty when absent. */
    public static List<String> strings(JsonNode body, String field, int maxItems, int maxChars) {
        JsonNode a = body.get(field);
        if (a == null || a.isNull()) {
            return List.of();
        }
        if (!a.isArray() || a.size() > maxItems) {
            throw new HttpError(400, field + " must be a list of at most " + maxItems);
        }
        List<String> out = new ArrayList<>();
        a.forEach(n -> {
            String s = n.asText().strip();
            if (s.length() > maxChars) {
                throw new HttpError(400, "textTooLong", field + " has an entry longer than " + maxChars);
            }
            if (!s.isEmpty()) {
                out.add(s);
            }
        });
        return out;
    }

    /** {@code photos: ["base64" | "data:image/...;base64,..." | {data}]}; the store checks sizes and types. */
    public static List<PhotoUpload> photos(JsonNode body, int max) {
        List<PhotoUpload> out = new ArrayList<>();
        JsonNode a = body.get("photos");
        if (a == null || a.isNull()) {
            return out;
        }
        if (!a.isArray() || a.size() > max) {
            throw new HttpError(400, "hazardPhotoCount", "photos must be a list of at most " + max);
        }
        for (JsonNode p : a) {
            String data = p.isObject() ? Api.text(p, "data") : p.asText(null);
            if (data == null) {
                throw new HttpError(400, "hazardPhotoType", "a photo without data");
            }
            int comma = data.indexOf(',');
            String raw = data.startsWith("data:") && comma > 0 ? data.substring(comma + 1) : data;
            try {
                out.add(new PhotoUpload(null, Base64.getDecoder().decode(raw.strip())));
            } catch (IllegalArgumentException e) {
                throw new HttpError(400, "hazardPhotoType", "photo data is not base64");
            }
        }
        return out;
    }

    public static boolean flag(JsonNode body, String field) {
        JsonNode n = body.get(field);
        return n != null && (n.asBoolean(false) || "true".equalsIgnoreCase(n.asText()));
    }
}
