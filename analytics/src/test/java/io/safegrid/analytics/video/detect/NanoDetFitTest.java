package io.safegrid.analytics.video.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The input NanoDet fits to a picture's shape: same scale as the square input, sides multiples of 32. */
class NanoDetFitTest {

    @Test
    void aWidePictureGetsAWideInputAtTheSquareInputsScale() {
        // 640x360 at 416/640 = 0.65 is 416x234: 234 rounds up to 256
        assertThat(NanoDet.fit(640, 360, 416)).containsExactly(416, 256);
        assertThat(NanoDet.fit(1280, 720, 416)).containsExactly(416, 256);
        assertThat(NanoDet.fit(640, 480, 416)).containsExactly(416, 320);
        assertThat(NanoDet.fit(360, 640, 416)).containsExactly(256, 416);
    }

    @Test
    void aSquarePictureKeepsTheSquareInput() {
        assertThat(NanoDet.fit(416, 416, 416)).containsExactly(416, 416);
        assertThat(NanoDet.fit(1000, 1000, 320)).containsExactly(320, 320);
    }

    @Test
    void anyShapeGetsOneOfFiveInputsSoANodeBuildsFewModels() {
        // motion crops come in every shape: their shorter side goes up to the next of 256, 320, 416
        assertThat(NanoDet.fit(4000, 100, 416)).containsExactly(416, 256);
        assertThat(NanoDet.fit(432, 200, 416)).containsExactly(416, 256);
        assertThat(NanoDet.fit(169, 240, 416)).containsExactly(320, 416);
        assertThat(NanoDet.fit(400, 390, 416)).containsExactly(416, 416);
        assertThat(NanoDet.fit(320, 180, 320)).containsExactly(320, 192);
    }
}
