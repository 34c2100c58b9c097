package io.safegrid.picture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.safegrid.model.grid.GridPath;
import io.safegrid.model.video.VideoFrame;
import java.time.Instant;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** Native frame pixels: shared in place, freed once by the last holder, misuse caught instead of freed twice. */
class NativePixelsTest {

    static VideoFrame grey(int level) {
        NativePixels p = NativePixels.allocate(VideoFrame.Format.I420.bytes(64, 36));
        for (int i = 0; i < p.length(); i++) {
            p.buffer().put(i, (byte) (i < 64 * 36 ? level : 128));
        }
        return new VideoFrame("cam", GridPath.parse("county/town"), Instant.now(), 0, 0, 64, 36, VideoFrame.Format.I420, p);
    }

    @Test
    void theLastOfSeveralHoldersFreesTheFrameOnce() {
        long before = NativePixels.live();
        VideoFrame f = grey(90);
        assertThat(NativePixels.live()).isEqualTo(before + 1);
        f.retain();   // a second reader, e.g. the live view
        f.release();  // the maker
        assertThat(NativePixels.live()).as("still held by one").isEqualTo(before + 1);
        assertThat(f.pixels().toArray()[0]).isEqualTo((byte) 90);
        f.release();
        assertThat(NativePixels.live()).isEqualTo(before);
        assertThat(((NativePixels) f.pixels()).holders()).isZero();
    }

    @Test
    void aDoubleReleaseOrAReadAfterTheLastReleaseThrowsAndIsCounted() {
        VideoFrame f = grey(10);
        f.release();
        long misuses = NativePixels.misuses();
        assertThatThrownBy(f::release).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(f::retain).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Pictures.view(f)).isInstanceOf(IllegalStateException.class);
        assertThat(NativePixels.misuses()).isEqualTo(misuses + 3);
    }

    @Test
    void aViewReadsTheFramesOwnMemoryWithoutACopy() {
        VideoFrame f = grey(200);
        try (Mat view = Pictures.view(f); Mat copy = Pictures.load(f, new Mat())) {
            assertThat(view.data().address()).as("the frame's memory itself")
                    .isEqualTo(((NativePixels) f.pixels()).pointer().address());
            assertThat(copy.data().address()).isNotEqualTo(view.data().address());
            assertThat(view.rows()).isEqualTo(36 * 3 / 2);
            assertThat(view.ptr(0, 0).get() & 0xff).isEqualTo(200);
            assertThat(copy.ptr(35, 63).get() & 0xff).isEqualTo(200);
            try (Mat bgr = Pictures.bgr(f)) {
                assertThat(bgr.channels()).isEqualTo(3);
            }
        } finally {
            f.release();
        }
    }
}
