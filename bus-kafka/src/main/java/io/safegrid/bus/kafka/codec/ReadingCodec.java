package io.safegrid.bus.kafka.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.reading.DataFlag;
import io.safegrid.model.reading.Period;
import io.safegrid.model.reading.Reading;
import io.safegrid.model.reading.Statistic;
import java.io.IOException;
import java.time.Instant;

/**
 * The {@link io.safegrid.model.bus.Topic#READINGS} codec, on Jackson's streaming parser and generator
 * instead of data binding: the same JSON as {@link JsonCodecs} writes for any other record (the
 * components in order, instants as ISO text, NaN as {@code "NaN"}, unknown fields skipped), read and
 * written field by field. Every reading crosses the bus once each way, and binding a record through
 * its constructor was the largest cost of both the publishing event loops and the consuming thread.
 * Instants as epoch numbers (Jackson's other form) are left to the data-binding codec.
 */
final class ReadingCodec implements MessageCodec<Reading> {
    private static final JsonFactory JSON = new JsonFactory();
    /** Stops the field-by-field read: a form only data binding knows (an instant as epoch seconds). */
    private static final class OtherForm extends Exception {
        OtherForm() {
            super(null, null, false, false);
        }
    }

    private final MessageCodec<Reading> bound;
    /**
     * Grid paths read before, by their text: a county has thousands of sites and each sends many readings,
     * and parsing the path (split, list, id checks) was a tenth of the consuming thread's work per reading.
     * Bounded: cleared when it holds {@value #MAX_SITES}, so odd paths cannot grow it.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, GridPath> sites = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_SITES = 16_384;

    /** @param bound the data-binding codec, which reads the forms this one leaves to it */
    ReadingCodec(MessageCodec<Reading> bound) {
        this.bound = bound;
    }

    @Override
    public byte[] encode(Reading r) {
        byte[] plain = PlainReadingWriter.write(r);
        return plain != null ? plain : generate(r);
    }

    /** Any reading, through Jackson's generator (escapes, non-ASCII text). */
    static byte[] generate(Reading r) {
        ByteArrayBuilder out = new ByteArrayBuilder(JSON._getBufferRecycler(), 256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("deviceId", r.deviceId());
            if (r.site() == null) {
                g.writeNullField("site");
            } else {
                g.writeStringField("site", r.site().toString());
            }
            g.writeStringField("metric", r.metric());
            g.writeFieldName("value");
            if (Double.isFinite(r.value())) {
                g.writeNumber(r.value());
            } else {
                g.writeString(Double.toString(r.value()));   // "NaN", "Infinity": valid JSON, as Jackson writes them
            }
            g.writeStringField("time", IsoInstants.format(r.time()));
            g.writeStringField("period", r.period().name());
            g.writeStringField("statistic", r.statistic().name());
            g.writeStringField("flag", r.flag().name());
            g.writeStringField("receivedAt", IsoInstants.format(r.receivedAt()));
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write a reading as JSON: " + e.getMessage(), e);
        }
        byte[] bytes = out.toByteArray();
        out.release();
        return bytes;
    }

    @Override
    public Reading decode(byte[] bytes) {
        if (bytes == null) {
            throw new BadMessageException("empty record where a Reading was expected", null);
        }
        return decode(bytes, 0, bytes.length);
    }

    @Override
    public Reading decode(byte[] bytes, int offset, int length) {
        String deviceId = null;
        String metric = null;
        GridPath site = null;
        double value = 0;
        Instant time = null;
        Instant receivedAt = null;
        Period period = null;
        Statistic statistic = null;
        DataFlag flag = null;
        try (JsonParser p = JSON.createParser(bytes, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadMessageException("not a Reading: not a JSON object", null);
            }
            String name;
            while ((name = p.nextFieldName()) != null) {
                JsonToken t = p.nextToken();
                if (t == JsonToken.VALUE_NULL) {
                    continue;
                }
                switch (name) {
                    case "deviceId" -> deviceId = text(p, name);
                    case "site" -> site = site(text(p, name));
                    case "metric" -> metric = text(p, name);
                    case "value" -> value = t == JsonToken.VALUE_STRING ? Double.parseDouble(p.getText()) : p.getDoubleValue();
                    case "time" -> time = instant(p);
                    case "receivedAt" -> receivedAt = instant(p);
                    case "period" -> period = Period.valueOf(text(p, name));
                    case "statistic" -> statistic = Statistic.valueOf(text(p, name));
                    case "flag" -> flag = DataFlag.valueOf(text(p, name));
                    default -> p.skipChildren();   // a field a newer node added
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new BadMessageException("not a Reading: a field name expected", null);
            }
            return new Reading(deviceId, site, metric, value, time, period, statistic, flag, receivedAt);
        } catch (OtherForm e) {
            return bound.decode(bytes, offset, length);
        } catch (BadMessageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BadMessageException("not a Reading: " + e.getMessage(), e);
        }
    }

    private GridPath site(String text) {
        GridPath path = sites.get(text);
        if (path == null) {
            path = GridPath.parse(text);
            if (sites.size() >= MAX_SITES) {
                sites.clear();
            }
            sites.put(text, path);
        }
        return path;
    }

    private static Instant instant(JsonParser p) throws IOException, OtherForm {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new OtherForm();
        }
        return IsoInstants.parse(p.getText());
    }

    private static String text(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new BadMessageException("not a Reading: " + field + " is not a string", null);
        }
        return p.getText();
    }
}
