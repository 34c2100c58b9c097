package io.safegrid.picture;

import io.safegrid.model.video.FramePixels;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * A frame's pixels in C memory: the decoder's picture is copied here once, and analysis, evidence
 * and the live view read it in place as an OpenCV picture ({@link Pictures#view}), never copying it
 * again. Reference counted: it starts with its maker as the one holder, each further holder
 * {@link #retain}s it, and the last {@link #release} frees it at once (plain {@code malloc}/{@code free},
 * not JavaCPP's collector-driven deallocation, which would keep hundreds of frames a second alive
 * until a GC). {@link #live()} counts the pictures not yet freed, for a gauge and for tests that
 * must see it back at zero; a release without a holder, or a retain after the last release, throws
 * and is counted ({@link #misuses()}) instead of freeing twice.
 */
public final class NativePixels implements FramePixels {
    private static final AtomicLong LIVE = new AtomicLong();
    private static final AtomicLong MISUSES = new AtomicLong();

    private final BytePointer data;
    private final int length;
    private final AtomicInteger holders = new AtomicInteger(1);

    private NativePixels(int length) {
        Pointer p = Pointer.malloc(length);
        if (p == null || p.isNull()) {
            throw new OutOfMemoryError("no native memory for a " + length + "-byte frame");
        }
        this.data = new BytePointer(p).capacity(length).limit(length);
        this.length = length;
        LIVE.incrementAndGet();
    }

    /** Uninitialised pixels with one holder, the caller: fill them through {@link #buffer()}. */
    public static NativePixels allocate(int length) {
        return new NativePixels(length);
    }

    /** The bytes as a direct buffer over the same memory (position 0, limit the length); valid while held. */
    public ByteBuffer buffer() {
        held();
        return data.asByteBuffer();   // position and limit never move
    }

    /** The memory, for an OpenCV header over it; valid while held. */
    public BytePointer pointer() {
        held();
        return data;
    }

    /** A reader that kept the frame without holding it fails here rather than reading freed memory. */
    private void held() {
        if (holders.get() <= 0) {
            MISUSES.incrementAndGet();
            throw new IllegalStateException("frame pixels read after their last release (keep a frame by retaining it)");
        }
    }

    @Override
    public int length() { return length; }

    @Override
    public byte[] toArray() {
        byte[] out = new byte[length];
        buffer().get(out);
        return out;
    }

    @Override
    public void retain() {
        change(1, "frame pixels retained after their last release");
    }

    @Override
    public void release() {
        if (change(-1, "frame pixels released more often than held") == 0) {
            Pointer.free(data);
            LIVE.decrementAndGet();
        }
    }

    /** Adds {@code delta} holders while any is left; the count after. Without a holder it is a bug: thrown and counted. */
    private int change(int delta, String misuse) {
        while (true) {
            int n = holders.get();
            if (n <= 0) {
                MISUSES.incrementAndGet();
                throw new IllegalStateException(misuse);
            }
            if (holders.compareAndSet(n, n + delta)) {
                return n + delta;
            }
        }
    }

    /** Holders now (0 once freed). */
    public int holders() { return holders.get(); }

    /** Native frames made and not yet freed, in this process. */
    public static long live() { return LIVE.get(); }

    /** Releases without a holder and retains after the last release, in this process (each one a bug). */
    public static long misuses() { return MISUSES.get(); }
}
