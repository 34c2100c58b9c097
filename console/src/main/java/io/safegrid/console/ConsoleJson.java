package io.safegrid.console;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safegrid.console.text.AlarmText;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.finding.Finding;
import java.io.IOException;

/** The console's JSON: grid paths as strings, times as ISO-8601, snapshots served separately. */
public final class ConsoleJson {
    private ConsoleJson() {
    }

    abstract static class FindingMixin {
        @JsonIgnore
        abstract byte[] snapshot();
    }

    public static ObjectMapper mapper() {
        return mapper(null);
    }

    /**
     * With {@code alarmText}, every alarm also carries {@code messageKey} and {@code messageArgs} (what
     * it is about, for the reader's language).
     */
    public static ObjectMapper mapper(AlarmText alarmText) {
        ObjectMapper plain = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .addMixIn(Finding.class, FindingMixin.class)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        if (alarmText == null) {
            return plain;
        }
        SimpleModule alarms = new SimpleModule("safegrid-alarm-text");
        alarms.addSerializer(Alarm.class, new StdSerializer<>(Alarm.class) {
            @Override
            public void serialize(Alarm value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                ObjectNode node = plain.valueToTree(value);
                alarmText.describe(value).forEach((k, v) -> node.set(k, plain.valueToTree(v)));
                gen.writeTree(node);
            }
        });
        return plain.copy().registerModule(alarms);
    }
}
