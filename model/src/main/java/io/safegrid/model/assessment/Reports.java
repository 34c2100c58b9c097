package io.safegrid.model.assessment;

import io.safegrid.model.grid.GridPath;
import java.time.LocalDate;
import java.util.Optional;

/** Reports (汇总汇报) as the console and the CLI use them; the assessment module implements it. */
public interface Reports {

    /** Starts making the report of {@code node} for the span that holds {@code day}. */
    ReportJob start(GridPath node, ReportSpan span, LocalDate day);

    Optional<ReportJob> job(String id);

    /** The finished report's figures; empty until it is done. */
    Optional<Report> report(String jobId);

    /** The finished report as {@code pdf} or {@code xlsx} in {@code lang} (zh, en); empty until it is done. */
    Optional<byte[]> file(String jobId, String format, String lang);
}
