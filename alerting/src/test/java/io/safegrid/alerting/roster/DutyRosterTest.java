package io.safegrid.alerting.roster;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.config.Roster;
import io.safegrid.model.grid.GridPath;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DutyRosterTest {
    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    // weekdays: day shift 08:00-20:00 (wang), night shift 20:00-08:00 (li); weekend night: zhao; handover overlap 19:30-20:00 (chen)
    static final Roster ROSTER = new Roster(GridPath.parse("puxian/keliqiao"), List.of(
            new Roster.Shift("day", LocalTime.of(8, 0), LocalTime.of(20, 0), Set.of(), List.of("wang")),
            new Roster.Shift("night", LocalTime.of(20, 0), LocalTime.of(8, 0),
                    Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY),
                    List.of("li")),
            new Roster.Shift("weekend-night", LocalTime.of(20, 0), LocalTime.of(8, 0),
                    Set.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), List.of("zhao")),
            new Roster.Shift("handover", LocalTime.of(19, 30), LocalTime.of(20, 0), Set.of(), List.of("chen"))),
            "duty-office");

    static List<String> at(String localDateTime) {
        return DutyRoster.onDuty(ROSTER, ZonedDateTime.of(java.time.LocalDateTime.parse(localDateTime), CHINA)).people();
    }

    @Test
    void shiftChangeAtEightIsTheIncomingShift() {
        // 2026-11-27 is a Friday
        assertThat(at("2026-11-27T07:59:59")).containsExactly("li");
        assertThat(at("2026-11-27T08:00:00")).containsExactly("wang");
    }

    @Test
    void nightShiftCrossesMidnightAndBelongsToTheDayItStarts() {
        assertThat(at("2026-11-27T23:00:00")).as("Friday night").containsExactly("li");
        assertThat(at("2026-11-28T03:00:00")).as("Saturday 03:00 is still Friday's night shift").containsExactly("li");
        assertThat(at("2026-11-28T23:00:00")).as("Saturday night").containsExactly("zhao");
        assertThat(at("2026-11-30T03:00:00")).as("Monday 03:00 is Sunday's night shift").containsExactly("zhao");
    }

    @Test
    void overlappingShiftsAreBothOnDuty() {
        assertThat(at("2026-11-27T19:45:00")).containsExactlyInAnyOrder("wang", "chen");
        assertThat(at("2026-11-27T20:00:00")).containsExactly("li");
    }

    @Test
    void fallbackWhenNoShiftCovers() {
        Roster daysOnly = new Roster(GridPath.of("puxian"), List.of(
                new Roster.Shift("office", LocalTime.of(9, 0), LocalTime.of(17, 0), Set.of(DayOfWeek.MONDAY), List.of("a"))),
                "duty-office");
        DutyRoster.Duty d = DutyRoster.onDuty(daysOnly, ZonedDateTime.of(2026, 11, 28, 10, 0, 0, 0, CHINA));
        assertThat(d.fallback()).isTrue();
        assertThat(d.people()).containsExactly("duty-office");
    }
}
