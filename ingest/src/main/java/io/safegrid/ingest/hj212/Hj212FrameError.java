package io.safegrid.ingest.hj212;

/**
 * Bytes the decoder skipped, with why: {@code garbage} (no {@code ##} start), {@code bad-length}
 * (not 4 digits), {@code too-large} (over 1024), {@code length-mismatch} (no CRLF where the length
 * says the frame ends: wrong length or a truncated frame).
 */
public record Hj212FrameError(String reason, String detail) {
}
