package io.safegrid.console;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.grid.GridPath;
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
        SimpleModule grid = new SimpleModule("safegrid");
        grid.addSerializer(GridPath.class, new StdSerializer<>(GridPath.class) {
            @Override
            public void serialize(GridPath value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(value.toString());
            }
        });
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .registerModule(grid)
                .addMixIn(Finding.class, FindingMixin.class)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }
}
