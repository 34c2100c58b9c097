package io.safegrid.ingest.gb28181.cascade;

import io.safegrid.ingest.gb28181.live.RtpOut;
import io.safegrid.model.device.Camera;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.bytedeco.ffmpeg.avcodec.AVBSFContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pulled camera's video sent to an upper platform as GB/T 28181 PS over RTP: FFmpeg opens the camera
 * (RTSP, HTTP, a file) and copies its H.264 packets, not re-encoded (Annex B, SPS/PPS before each key
 * frame), into MPEG-PS, which {@link RtpOut}
 * cuts into RTP with the upper platform's SSRC. A second connection to the camera rather than a tap on the
 * analysis stream: that one is decoded, and the upper platform wants the camera's own bit stream.
 */
final class CameraPs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CameraPs.class);
    /** A camera that sends nothing for this long is taken as gone (FFmpeg's {@code rw_timeout}, µs). */
    static final Duration STALL = Duration.ofSeconds(5);

    private final Camera camera;
    private final RtpOut out;
    private final Thread thread;
    private final long startedNanos = System.nanoTime();
    private final CompletableFuture<Duration> firstPacket = new CompletableFuture<>();
    private final CompletableFuture<String> failed = new CompletableFuture<>();
    private volatile boolean running = true;

    CameraPs(Camera camera, RtpOut out) {
        this.camera = camera;
        this.out = out;
        this.thread = new Thread(this::run, "gb28181-upper-camera-" + camera.id());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Completes with the time to the first packet sent up. */
    CompletableFuture<Duration> firstPacket() { return firstPacket; }

    /** Completes with the reason when the camera's stream cannot be opened, is not H.264, or ends; not on {@link #close}. */
    CompletableFuture<String> failed() { return failed; }

    private void run() {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(camera.source().url())) {
            if (camera.source().rtspTransport() != null) {
                g.setOption("rtsp_transport", camera.source().rtspTransport());
            }
            g.setOption("rw_timeout", Long.toString(STALL.toNanos() / 1000));
            g.setOption("timeout", Long.toString(STALL.toNanos() / 1000));
            g.setOption("probesize", "65536");
            g.setOption("analyzeduration", "500000");
            g.startUnsafe();
            if (g.getVideoCodec() != avcodec.AV_CODEC_ID_H264) {
                fail("the camera sends " + g.getVideoCodecName() + "; PS is sent up only with H.264 copied as it comes");
                return;
            }
            AVBSFContext bsf = annexB(g.getFormatContext().streams(g.getVideoStream()));
            AVPacket o = avcodec.av_packet_alloc();
            try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out, g.getImageWidth(), g.getImageHeight(), 0)) {
                r.setFormat("mpeg");
                r.setVideoCodec(g.getVideoCodec());
                r.setFrameRate(g.getFrameRate());
                r.setCloseOutputStream(false);
                r.start(g.getFormatContext());
                AVPacket p;
                boolean keyed = false;
                while (running && (p = g.grabPacket()) != null) {
                    // from a key frame on, as a camera starts the stream it was INVITEd for: the upper
                    // platform's first picture is then whole, not grey until the next key frame
                    keyed |= (p.flags() & avcodec.AV_PKT_FLAG_KEY) != 0 && p.stream_index() == g.getVideoStream();
                    if (p.stream_index() != g.getVideoStream() || !keyed) {
                        continue;
                    }
                    if (avcodec.av_bsf_send_packet(bsf, p) < 0) {
                        continue;
                    }
                    while (avcodec.av_bsf_receive_packet(bsf, o) == 0) {
                        r.recordPacket(o);
                        avcodec.av_packet_unref(o);
                    }
                    out.flush();   // each frame's end goes out now, with the RTP marker bit
                    firstPacket.complete(Duration.ofNanos(System.nanoTime() - startedNanos));
                }
            } finally {
                avcodec.av_packet_free(o);
                avcodec.av_bsf_free(bsf);
            }
            if (running) {
                fail("the camera's stream ended");
            }
        } catch (Exception e) {
            if (running) {
                fail(e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
    }

    /**
     * PS carries H.264 as Annex B with SPS/PPS in the stream, where the decoder up there finds them; FFmpeg's
     * PS muxer writes neither. A camera's stream has them out of band: in the SDP (RTSP) or as avcC (MP4,
     * FLV). {@code h264_mp4toannexb} rewrites avcC and puts SPS/PPS before each key frame;
     * {@code dump_extra} puts Annex B extradata before each key frame.
     */
    private static AVBSFContext annexB(AVStream st) throws java.io.IOException {
        boolean avcc = st.codecpar().extradata_size() > 0 && st.codecpar().extradata().get(0) == 1;
        AVBSFContext bsf = new AVBSFContext(null);
        if (avcodec.av_bsf_alloc(avcodec.av_bsf_get_by_name(avcc ? "h264_mp4toannexb" : "dump_extra"), bsf) < 0) {
            throw new java.io.IOException("FFmpeg has no H.264 bit stream filter");
        }
        if (!avcc) {
            avutil.av_opt_set(bsf.priv_data(), "freq", "keyframe", 0);
        }
        avcodec.avcodec_parameters_copy(bsf.par_in(), st.codecpar());
        bsf.time_base_in(st.time_base());
        if (avcodec.av_bsf_init(bsf) < 0) {
            avcodec.av_bsf_free(bsf);
            throw new java.io.IOException("the H.264 bit stream filter did not start");
        }
        return bsf;
    }

    private void fail(String why) {
        LOG.warn("camera {}: stream for the upper platform failed: {}", camera.id(), why);
        firstPacket.completeExceptionally(new IllegalStateException(why));
        failed.complete(why);
    }

    @Override
    public void close() {
        running = false;
        try {
            if (Thread.currentThread() != thread) {   // closed from its own failure: it is ending already
                thread.join(3000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            out.close();
        } catch (java.io.IOException e) {
            // closing anyway
        }
    }
}
