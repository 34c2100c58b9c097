package io.safegrid.ingest.hj212;

import java.time.LocalDateTime;
import java.util.Map;

/**
 * The CP data area: its DataTime (local time of the logger, null when absent), the factor
 * fields by factor code and suffix ({@code a21005 → {Rtd=1.2, Flag=N}}), and any other
 * {@code key=value} items.
 */
public record DataArea(LocalDateTime dataTime, Map<String, Map<String, String>> factors, Map<String, String> other) {
}
