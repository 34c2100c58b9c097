package io.safegrid.bus.kafka.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.reading.Reading;
import java.io.IOException;
import java.time.Instant;

/**
 * JSON codecs for the bus topics. The model types are records, so Jackson maps them by their
 * components; only what a record would otherwise get wrong is spelled out here:
 * <ul>
 *   <li>{@link GridPath} travels as its text ({@code puxian/keliqiao/coalmine-7}), as the type declares;
 *       is-getters are not properties (a record's {@code isRoot()} would otherwise be written);</li>
 *   <li>instants as ISO-8601 text, so a record is readable in {@code kafka-console-consumer}
 *       (written and read by {@link IsoInstants}, several times faster than the formatter);</li>
 *   <li>unknown fields are ignored, so a newer node can add a field without stopping older ones;</li>
 *   <li>NaN (a finding with no threshold) is written as the string {@code "NaN"}, which is valid JSON.</li>
 * </ul>
 * Snapshot bytes in a finding travel as base64 (Jackson's default for {@code byte[]}).
 */
public final class JsonCodecs {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule("safegrid-model")
                    .addSerializer(Instant.class, new JsonSerializer<>() {
                        @Override
                        public void serialize(Instant t, JsonGenerator g, SerializerProvider s) throws IOException {
                            g.writeString(IsoInstants.format(t));
                        }
                    })
                    .addDeserializer(Instant.class, new JsonDeserializer<>() {
                        @Override
                        public Instant deserialize(JsonParser p, DeserializationContext c) throws IOException {
                            if (p.currentToken() != JsonToken.VALUE_STRING) {
                                return InstantDeserializer.INSTANT.deserialize(p, c);   // epoch numbers, as Jackson reads them
                            }
                            return IsoInstants.parse(p.getText());
                        }
                    }))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
            .build();

    private JsonCodecs() {
    }

    /** The codec for one topic's message type. */
    @SuppressWarnings("unchecked")
    public static <T> MessageCodec<T> forTopic(Topic<T> topic) {
        if (topic.type() == Reading.class) {
            return (MessageCodec<T>) new ReadingCodec(forType(Reading.class));   // the same JSON, without data binding
        }
        return forType(topic.type());
    }

    public static <T> MessageCodec<T> forType(Class<T> type) {
        ObjectWriter writer = MAPPER.writerFor(type);
        ObjectReader reader = MAPPER.readerFor(type);
        return new MessageCodec<>() {
            @Override
            public byte[] encode(T message) {
                try {
                    return writer.writeValueAsBytes(message);
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot write " + type.getSimpleName() + " as JSON: " + e.getMessage(), e);
                }
            }

            @Override
            public T decode(byte[] bytes) {
                if (bytes == null) {
                    throw new BadMessageException("empty record where a " + type.getSimpleName() + " was expected", null);
                }
                try {
                    return reader.readValue(bytes);
                } catch (IOException | RuntimeException e) {
                    throw new BadMessageException("not a " + type.getSimpleName() + ": " + e.getMessage(), e);
                }
            }
        };
    }
}
