package io.safegrid.ingest.intake;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.safegrid.ingest.json.PayloadException;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.reading.Reading;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadingWindowTest {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    final ReadingWindow window = new ReadingWindow(Clock.fixed(NOW, ZoneOffset.UTC), () -> Duration.ofDays(30),
            () -> Duration.ofMinutes(5));

    static Reading at(Instant t, double v) {
        return Reading.sample("d", GridPath.of("x"), "methane", v, t);
    }

    @Test
    void theEdgesAreInsideOneTickBeyondIsNot() {
        assertThatCode(() -> window.check(List.of(at(NOW.minus(Duration.ofDays(30)), 1), at(NOW.plusSeconds(300), 1))))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> window.check(List.of(at(NOW.plusSeconds(301), 1))))
                .isInstanceOf(PayloadException.class).hasMessageContaining("outside")
                .extracting(e -> ((PayloadException) e).reason()).isEqualTo("bad-time");
        assertThatThrownBy(() -> window.check(NOW.minus(Duration.ofDays(30)).minusMillis(1)))
                .isInstanceOf(PayloadException.class);
    }

    @Test
    void extremeTimesAndNonFiniteValuesAreRefusedNotOverflowed() {
        assertThatThrownBy(() -> window.check(List.of(at(Instant.ofEpochMilli(-99999999999999999L), 1))))
                .isInstanceOf(PayloadException.class);
        assertThatThrownBy(() -> window.check(List.of(at(Instant.MAX, 1)))).isInstanceOf(PayloadException.class);
        assertThatThrownBy(() -> window.check(List.of(at(NOW, Double.NaN))))
                .extracting(e -> ((PayloadException) e).reason()).isEqualTo("bad-value");
        assertThatThrownBy(() -> window.check(List.of(at(NOW, Double.POSITIVE_INFINITY)))).isInstanceOf(PayloadException.class);
    }
}
