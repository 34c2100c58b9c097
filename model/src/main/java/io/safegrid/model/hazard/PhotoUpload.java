package io.safegrid.model.hazard;

/** A photo as sent: the register checks its size and, from its first bytes, that it is an image. */
public record PhotoUpload(String stage, byte[] data) {
}
