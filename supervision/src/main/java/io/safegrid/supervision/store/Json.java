package io.safegrid.supervision.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.SQLException;
import java.util.List;

/** Lists kept as JSON text in a column, the same on H2 and PostgreSQL. */
final class Json {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Json() {
    }

    static String write(Object o) throws SQLException {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new SQLException("cannot write " + o.getClass().getSimpleName() + " as JSON", e);
        }
    }

    static <T> List<T> read(String text, TypeReference<List<T>> type) throws SQLException {
        try {
            return text == null ? List.of() : JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new SQLException("a stored list is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
