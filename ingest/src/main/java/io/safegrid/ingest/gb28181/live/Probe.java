package io.safegrid.ingest.gb28181.live;

import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * How FFmpeg opens a GB/T 28181 stream. The format is known (MPEG-PS), and the PS stream map or the
 * first video PES names the codec, so FFmpeg is told the format and probes as little as it may: the
 * PS demuxer declares that streams may appear later, so FFmpeg would otherwise read up to its
 * probe limits (5 MB or 5 s of stream, arriving in real time) before the first picture. The H.264
 * parser takes the size and pixel format from the key frame's SPS. Frame threading is off
 * ({@code low_delay}): it holds back one picture per decoding thread before the first comes out.
 */
public final class Probe {
    private Probe() { }

    public static void small(FFmpegFrameGrabber g) {
        g.setFormat("mpeg");
        g.setOption("probesize", "32");
        g.setOption("analyzeduration", "1");
        g.setOption("fpsprobesize", "0");
        g.setVideoOption("flags", "low_delay");
    }
}
