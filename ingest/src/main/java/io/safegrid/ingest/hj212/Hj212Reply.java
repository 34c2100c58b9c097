package io.safegrid.ingest.hj212;

/** A data segment to send back; {@link Hj212FrameEncoder} wraps it into a frame. */
public record Hj212Reply(String data) {
}
