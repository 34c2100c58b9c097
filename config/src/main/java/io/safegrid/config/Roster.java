package io.safegrid.config;

import io.safegrid.model.grid.GridPath;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;

/**
 * Who is on duty at one grid node (值班表). Shifts may cross midnight; where none covers the
 * moment, the fallback contact is told.
 */
public record Roster(GridPath node, List<Shift> shifts, String fallback) {

    public Roster {
        shifts = List.copyOf(shifts);
    }

    /**
     * @param days    the days the shift starts on; empty means every day
     * @param people  user names (see {@link UserDef}) on duty
     */
    public record Shift(String name, LocalTime start, LocalTime end, Set<DayOfWeek> days, List<String> people) {
        public Shift {
            days = days == null ? Set.of() : Set.copyOf(days);
            people = List.copyOf(people);
        }
    }
}
