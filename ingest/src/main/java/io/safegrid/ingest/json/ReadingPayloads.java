package io.safegrid.ingest.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.reading.DataFlag;
import io.safegrid.model.reading.Period;
import io.safegrid.model.reading.Reading;
import io.safegrid.model.reading.Statistic;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON reading format of MQTT and HTTP: one reading {@code {"value": 0.42, "ts": "...",
 * "flag": "N"}}, or a batch as an array or {@code {"readings": [...]}}. {@code ts} is ISO-8601
 * (with offset or Z) or epoch milliseconds and defaults to the time received; {@code flag} is an
 * HJ 212 data flag and defaults to N.
 */
public final class ReadingPayloads {
    /** The most readings one message may carry. */
    public static final int MAX_BATCH = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReadingPayloads() {
    }

    public static JsonNode parseTree(byte[] payload) throws PayloadException {
        try {
            JsonNode n = JSON.readTree(payload);
            if (n == null || n.isMissingNode()) {
                throw new PayloadException("bad-json", "empty payload");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new PayloadException("bad-json", "malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new PayloadException("bad-json", "unreadable payload");
        }
    }

    /** Readings of one sensor from a parsed payload. */
    public static List<Reading> readings(JsonNode root, Sensor sensor, Instant receivedAt) throws PayloadException {
        JsonNode items;
        if (root.isArray()) {
            items = root;
        } else if (root.isObject() && root.has("readings")) {
            items = root.get("readings");
            if (!items.isArray()) {
                throw new PayloadException("bad-payload", "\"readings\" must be an array");
            }
        } else if (root.isObject()) {
            return List.of(reading(root, sensor, receivedAt, -1));
        } else {
            throw new PayloadException("bad-payload", "expected a reading object or an array of readings");
        }
        if (items.isEmpty()) {
            throw new PayloadException("bad-payload", "empty batch");
        }
        if (items.size() > MAX_BATCH) {
            throw new PayloadException("batch-too-large", "batch of " + items.size() + " readings; at most " + MAX_BATCH);
        }
        List<Reading> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(reading(items.get(i), sensor, receivedAt, i));
        }
        return out;
    }

    private static Reading reading(JsonNode n, Sensor sensor, Instant receivedAt, int index) throws PayloadException {
        String where = index < 0 ? "" : "readings[" + index + "]: ";
        if (!n.isObject()) {
            throw new PayloadException("bad-payload", where + "a reading must be an object");
        }
        JsonNode v = n.get("value");
        if (v == null || !v.isNumber()) {
            throw new PayloadException("bad-payload", where + "\"value\" must be a number");
        }
        double value = v.doubleValue();
        if (!Double.isFinite(value)) {
            throw new PayloadException("bad-payload", where + "\"value\" must be finite");
        }
        Instant time = time(n.get("ts"), receivedAt, where);
        DataFlag flag = DataFlag.N;
        JsonNode f = n.get("flag");
        if (f != null && !f.isNull()) {
            try {
                flag = DataFlag.valueOf(f.asText());
            } catch (IllegalArgumentException e) {
                throw new PayloadException("bad-payload", where + "unknown flag '" + f.asText() + "' (N F M S D C T B)");
            }
        }
        return new Reading(sensor.id(), sensor.site(), sensor.metric(), value, time, Period.REALTIME, Statistic.VALUE,
                flag, receivedAt);
    }

    private static Instant time(JsonNode ts, Instant receivedAt, String where) throws PayloadException {
        if (ts == null || ts.isNull()) {
            return receivedAt;
        }
        if (ts.isIntegralNumber()) {
            return Instant.ofEpochMilli(ts.longValue());
        }
        if (ts.isTextual()) {
            try {
                return OffsetDateTime.parse(ts.asText()).toInstant();
            } catch (DateTimeParseException e) {
                throw new PayloadException("bad-payload", where + "\"ts\" is not ISO-8601 with an offset: " + ts.asText());
            }
        }
        throw new PayloadException("bad-payload", where + "\"ts\" must be ISO-8601 text or epoch milliseconds");
    }
}
