package io.safegrid.analytics.video.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The input NanoDet fits to a picture's shape: same scale as the square input, sides multiples of 32. */
class NanoDetFitTest {

    @ParameterizedTest(name = "{0}x{1} at {2}: {3}x{4}")
    @CsvSource({
        // 640x360 at 416/640 = 0.65 is 416x234: 234 goes up to 256; 4:3 to 320; portrait turned round
        "640, 360, 416, 416, 256",
        "1280, 720, 416, 416, 256",
        "640, 480, 416, 416, 320",
        "360, 640, 416, 256, 416",
        // a square picture keeps the square input
        "416, 416, 416, 416, 416",
        "1000, 1000, 320, 320, 320",
        // motion crops come in every shape: the shorter side goes up to the next of 256, 320, 416 (at
        // most five models a node builds)
        "4000, 100, 416, 416, 256",
        "432, 200, 416, 416, 256",
        "169, 240, 416, 320, 416",
        "400, 390, 416, 416, 416",
        "320, 180, 320, 320, 192",
    })
    void theInputHoldsThePictureAtTheSquareInputsScale(int cols, int rows, int side, int width, int height) {
        assertThat(NanoDet.fit(cols, rows, side)).containsExactly(width, height);
    }
}
