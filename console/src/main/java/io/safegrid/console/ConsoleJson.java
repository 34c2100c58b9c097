package io.safegrid.console;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.safegrid.model.finding.Finding;

/** The console's JSON: grid paths as strings, times as ISO-8601, snapshots served separately. */
public final class ConsoleJson {
    private ConsoleJson() {
    }

    abstract static class FindingMixin {
        @JsonIgnore
        abstract byte[] snapshot();
    }

    public static ObjectMapper mapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .addMixIn(Finding.class, FindingMixin.class)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }
}
