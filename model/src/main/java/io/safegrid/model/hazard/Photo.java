package io.safegrid.model.hazard;

/** A stored photo with its bytes. */
public record Photo(PhotoRef ref, byte[] data) {
}
