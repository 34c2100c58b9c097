package io.safegrid.ingest.intake;

/**
 * Why readings the bus took could not be kept as promised, so they get the protocol's refusal
 * instead of its acknowledgement (MQTT 5 PUBACK 0x97, HTTP 503, no HJ 212 9014).
 *
 * @param reason the {@code reason} tag of {@code safegrid.ingest.rejected}: {@link #DISK_FULL},
 *               {@link #JOURNAL_FAILED} or {@link #NOT_STORED}
 * @param detail for the rejection log and the device (MQTT 5 reason string, HTTP body)
 */
public record Refusal(String reason, String detail) {
    /** Free space is below the refusing watermark: the journal takes nothing more. */
    public static final String DISK_FULL = "disk-full";
    /** The journal's write failed (an I/O error). */
    public static final String JOURNAL_FAILED = "journal-failed";
    /** The bus (Kafka) could not store the readings. */
    public static final String NOT_STORED = "not-stored";
}
