package io.safegrid.model.assessment;

/** How long a report (汇总汇报) covers: a day, a week from Monday, a calendar month, in the county's zone. */
public enum ReportSpan {
    DAILY, WEEKLY, MONTHLY
}
