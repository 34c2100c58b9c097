package io.safegrid.alerting.roster;

import io.safegrid.config.Roster;
import io.safegrid.model.grid.GridPath;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who is on duty at a grid node at a moment (值班). Shift times are local wall-clock times in the
 * zone of the moment asked about. A shift starts inclusive and ends exclusive, so at a handover
 * minute the incoming shift is on duty; overlapping shifts are all on duty. A shift whose end is
 * not after its start crosses midnight and belongs to the day it starts on. Where no shift covers
 * the moment, the roster's fallback contact is on duty.
 */
public final class DutyRoster {

    private DutyRoster() {
    }

    /** The people on duty, and whether they are the fallback. */
    public record Duty(GridPath node, List<String> people, boolean fallback) {
        public Duty {
            people = List.copyOf(people);
        }
    }

    public static Optional<Roster> rosterOf(List<Roster> rosters, GridPath node) {
        return rosters.stream().filter(r -> r.node().equals(node)).findFirst();
    }

    public static Duty onDuty(Roster roster, ZonedDateTime now) {
        Set<String> people = new LinkedHashSet<>();
        for (Roster.Shift s : roster.shifts()) {
            if (covers(s, now)) {
                people.addAll(s.people());
            }
        }
        if (!people.isEmpty()) {
            return new Duty(roster.node(), new ArrayList<>(people), false);
        }
        return new Duty(roster.node(), roster.fallback() == null ? List.of() : List.of(roster.fallback()), true);
    }

    static boolean covers(Roster.Shift s, ZonedDateTime now) {
        LocalTime t = now.toLocalTime();
        DayOfWeek today = now.getDayOfWeek();
        if (s.start().isBefore(s.end())) {
            return startsOn(s, today) && !t.isBefore(s.start()) && t.isBefore(s.end());
        }
        // crosses midnight (or runs 24 h when start == end)
        return (startsOn(s, today) && !t.isBefore(s.start())) || (startsOn(s, today.minus(1)) && t.isBefore(s.end()));
    }

    private static boolean startsOn(Roster.Shift s, DayOfWeek day) {
        return s.days().isEmpty() || s.days().contains(day);
    }
}
