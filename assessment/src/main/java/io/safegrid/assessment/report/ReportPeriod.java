package io.safegrid.assessment.report;

import io.safegrid.model.assessment.ReportSpan;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;

/** The days a report covers, in the county's zone: the day, the week from Monday, or the calendar month that holds {@code day}. */
public record ReportPeriod(ReportSpan span, LocalDate first, LocalDate last, Instant from, Instant to) {

    public static ReportPeriod of(ReportSpan span, LocalDate day, ZoneId zone) {
        LocalDate first = switch (span) {
            case DAILY -> day;
            case WEEKLY -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTHLY -> day.withDayOfMonth(1);
        };
        LocalDate next = switch (span) {
            case DAILY -> first.plusDays(1);
            case WEEKLY -> first.plusWeeks(1);
            case MONTHLY -> first.plusMonths(1);
        };
        return new ReportPeriod(span, first, next.minusDays(1), first.atStartOfDay(zone).toInstant(),
                next.atStartOfDay(zone).toInstant());
    }

    /** The period before the one that holds {@code day}: what a scheduled report sends once it closed. */
    public static ReportPeriod previous(ReportSpan span, LocalDate day, ZoneId zone) {
        return of(span, of(span, day, zone).first().minusDays(1), zone);
    }
}
