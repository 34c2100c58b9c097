package io.safegrid.model.video;

/**
 * A frame's pixel bytes: on the Java heap ({@link #of(byte[])}), or in native memory the decoder
 * filled once and every reader shares read-only (the {@code picture} module's {@code NativePixels}),
 * freed when the last holder {@link #release}s it.
 */
public interface FramePixels {
    /** Number of bytes. */
    int length();

    /** The bytes as an array: heap pixels give their own (do not change it), native ones a copy. */
    byte[] toArray();

    /** One more holder; heap pixels need none. */
    default void retain() {
    }

    /** A holder is done; heap pixels need none. */
    default void release() {
    }

    /** Pixels in a heap array, left to the garbage collector. */
    static FramePixels of(byte[] bytes) {
        return new Heap(bytes);
    }

    /** Pixels on the Java heap. */
    record Heap(byte[] bytes) implements FramePixels {
        @Override
        public int length() { return bytes.length; }

        @Override
        public byte[] toArray() { return bytes; }
    }
}
