package io.safegrid.ingest.gb28181.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Frame starts in program streams made by FFmpeg: MPEG-1 system ({@code mpeg}) and MPEG-2 PS ({@code vob}). */
class PsFramesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"mpeg", "vob"})
    void findsEveryFrameWithItsPtsAndTheEndOfTheFirstInAStreamCutIntoSmallPieces(String format) throws Exception {
        Path ps = dir.resolve("clip." + format);
        Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc=size=640x360:rate=10", "-t", "2", "-c:v", "libx264", "-g", "1", "-crf", "0", "-pix_fmt", "yuv420p",
                "-f", format, ps.toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
        byte[] b = Files.readAllBytes(ps);
        // lossless key frames, each larger than the muxer's 2 KB packs: every frame starts its own PES, which
        // then carries its PTS (smaller frames share a PES, which carries the PTS of the first one only)

        List<PsFrames.Start> starts = PsFrames.starts(b);

        assertThat(starts).hasSize(20);
        for (int i = 1; i < starts.size(); i++) {
            assertThat(starts.get(i).pts() - starts.get(i - 1).pts()).isEqualTo(9000);   // 10 fps at 90 kHz
            assertThat(starts.get(i).offset()).isGreaterThan(starts.get(i - 1).offset());
        }
        // fed 7 bytes at a time, so start codes and PES headers are cut: done exactly with the second frame's header
        PsFrames.FirstFrame watch = new PsFrames.FirstFrame();
        int second = starts.get(1).offset();
        int fed = 0;
        while (!watch.feed(b, fed, 7)) {
            fed += 7;
        }
        assertThat(fed + 7).isGreaterThan(second + 4).isLessThanOrEqualTo(second + 40);
    }
}
