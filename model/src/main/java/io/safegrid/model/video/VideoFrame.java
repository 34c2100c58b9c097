package io.safegrid.model.video;

import io.safegrid.model.bus.Shared;
import io.safegrid.model.grid.GridPath;
import java.time.Instant;

/**
 * A decoded picture from one camera, in one of two layouts ({@link Format}).
 * <p>The intake publishes streams as {@link Format#I420}, the decoder's own layout (planar Y, then U
 * and V at half size): it needs no colour conversion and half the bytes of BGR, and its Y plane
 * is the grey picture most analysis runs on. Uploaded JPEG snapshots come as {@link Format#BGR}.
 * <p>In one process the pixels are handed over, not copied again: a stream's frame holds native
 * memory the decoder filled once ({@link FramePixels}), read in place by analysis, evidence and the
 * live view, and freed when its last holder {@link #release}s it ({@link Shared}). Frames are the
 * one thing the bus may drop under load: a stale picture is worth less than a fresh one.
 *
 * @param sequence   frame number since the stream (re)started
 * @param streamTime position in the stream, seconds (video timestamp), for replay and files
 * @param pixels     {@code width * height * 3} bytes of packed BGR rows, or {@code width * height * 3 / 2}
 *                   bytes of I420 (even width and height); valid while the frame is held
 */
public record VideoFrame(String cameraId, GridPath site, Instant time, long sequence, double streamTime,
                         int width, int height, Format format, FramePixels pixels) implements Shared {

    /** How the pixels are laid out. */
    public enum Format {
        /** Packed 8-bit B, G, R per pixel, rows without padding. */
        BGR,
        /** 8-bit planar YUV 4:2:0 (BT.601, limited range, as H.264 decodes): Y rows, then U, then V at half width and height. */
        I420;

        /** Bytes a picture of this size takes. */
        public int bytes(int width, int height) {
            return this == BGR ? width * height * 3 : width * height * 3 / 2;
        }
    }

    public VideoFrame {
        if (format == Format.I420 && (width % 2 != 0 || height % 2 != 0)) {
            throw new IllegalArgumentException("I420 frame " + width + "x" + height + " needs an even width and height");
        }
        if (pixels.length() != format.bytes(width, height)) {
            throw new IllegalArgumentException(format + " frame " + width + "x" + height + " needs "
                    + format.bytes(width, height) + " bytes, got " + pixels.length());
        }
    }

    /** A frame whose pixels are a heap array. */
    public VideoFrame(String cameraId, GridPath site, Instant time, long sequence, double streamTime,
                      int width, int height, Format format, byte[] pixels) {
        this(cameraId, site, time, sequence, streamTime, width, height, format, FramePixels.of(pixels));
    }

    /** A BGR frame. */
    public VideoFrame(String cameraId, GridPath site, Instant time, long sequence, double streamTime,
                      int width, int height, byte[] bgr) {
        this(cameraId, site, time, sequence, streamTime, width, height, Format.BGR, bgr);
    }

    @Override
    public void retain() {
        pixels.retain();
    }

    @Override
    public void release() {
        pixels.release();
    }
}
