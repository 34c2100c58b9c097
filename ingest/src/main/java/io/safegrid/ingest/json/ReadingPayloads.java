package io.safegrid.ingest.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
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
    private static final JsonFactory FACTORY = JSON.getFactory();

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

    /**
     * Readings of one sensor from a raw payload: the same result, errors included, as
     * {@code readings(parseTree(payload), sensor, receivedAt)}. The common case, one plain reading
     * object, is read straight off a streaming parser without building a tree; anything else (a
     * batch, other fields, duplicates, anything invalid) goes the tree way, which decides.
     */
    public static List<Reading> readings(byte[] payload, Sensor sensor, Instant receivedAt) throws PayloadException {
        Reading r = plainReading(payload, sensor, receivedAt);
        return r != null ? List.of(r) : readings(parseTree(payload), sensor, receivedAt);
    }

    /** One {@code {"value": n, "ts": ..., "flag": ...}} object and nothing else, or null when it is not that simple. */
    private static Reading plainReading(byte[] payload, Sensor sensor, Instant receivedAt) {
        try (JsonParser p = FACTORY.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            boolean seenValue = false;
            boolean seenTs = false;
            boolean seenFlag = false;
            double value = 0;
            Instant time = receivedAt;
            DataFlag flag = DataFlag.N;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "value" -> {
                        if (seenValue) {
                            return null;
                        }
                        seenValue = true;
                        if (v == JsonToken.VALUE_NUMBER_INT && isIntOrLong(p)) {
                            value = (double) p.getLongValue();
                        } else if (v == JsonToken.VALUE_NUMBER_FLOAT) {
                            value = p.getDoubleValue();
                            if (!Double.isFinite(value)) {
                                return null;
                            }
                        } else {
                            return null;
                        }
                    }
                    case "ts" -> {
                        if (seenTs) {
                            return null;
                        }
                        seenTs = true;
                        if (v == JsonToken.VALUE_NULL) {
                            time = receivedAt;
                        } else if (v == JsonToken.VALUE_NUMBER_INT && isIntOrLong(p)) {
                            time = Instant.ofEpochMilli(p.getLongValue());
                        } else if (v == JsonToken.VALUE_STRING) {
                            time = OffsetDateTime.parse(p.getText()).toInstant();
                        } else {
                            return null;
                        }
                    }
                    case "flag" -> {
                        if (seenFlag) {
                            return null;
                        }
                        seenFlag = true;
                        if (v == JsonToken.VALUE_NULL) {
                            flag = DataFlag.N;
                        } else if (v == JsonToken.VALUE_STRING) {
                            flag = DataFlag.valueOf(p.getText());
                        } else {
                            return null;
                        }
                    }
                    default -> {
                        return null;
                    }
                }
            }
            if (t != JsonToken.END_OBJECT || !seenValue || p.nextToken() != null) {
                return null;
            }
            return new Reading(sensor.id(), sensor.site(), sensor.metric(), value, time, Period.REALTIME, Statistic.VALUE,
                    flag, receivedAt);
        } catch (java.io.IOException | RuntimeException e) {
            return null;   // the tree way reports it
        }
    }

    private static boolean isIntOrLong(JsonParser p) throws java.io.IOException {
        JsonParser.NumberType nt = p.getNumberType();
        return nt == JsonParser.NumberType.INT || nt == JsonParser.NumberType.LONG;
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
