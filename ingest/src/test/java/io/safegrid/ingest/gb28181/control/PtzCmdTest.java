package io.safegrid.ingest.gb28181.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** GB/T 28181 A.3's byte layout, worked by hand: A5, 0F (version 0 and its check nibble), address, instruction, speeds, sum. */
class PtzCmdTest {
    @Test
    void stopIsTheWellKnownA50F01Instruction() {
        // A5+0F+01 = B5
        assertThat(PtzCmd.encode(PtzCmd.Move.STOP, 128, 1)).isEqualTo("A50F0100000000B5");
    }

    @Test
    void eachMoveSetsItsBitsAndOnlyItsOwnSpeeds() {
        // left 0x02, pan speed 0x80: A5+0F+01+02+80 = 0x137
        assertThat(PtzCmd.encode(PtzCmd.Move.LEFT, 0x80, 1)).isEqualTo("A50F010280000037");
        // up-right 0x09, pan and tilt 0x40: A5+0F+01+09+40+40 = 0x13E
        assertThat(PtzCmd.encode(PtzCmd.Move.UP_RIGHT, 0x40, 1)).isEqualTo("A50F01094040003E");
        // zoom in 0x10, zoom speed in the high nibble of byte 7 (0xF0 >> 4 = F), address high nibble 0: sum 0x1B5
        assertThat(PtzCmd.encode(PtzCmd.Move.ZOOM_IN, 0xF0, 1)).isEqualTo("A50F01100000F0B5");
    }

    @Test
    void aTwelveBitAddressIsSplitAcrossBytesThreeAndSeven() {
        String cmd = PtzCmd.encode(PtzCmd.Move.DOWN, 0x20, 0x3A7);
        assertThat(cmd.substring(4, 6)).isEqualTo("A7");
        assertThat(cmd.substring(13, 14)).isEqualTo("3");
        PtzCmd.Decoded d = PtzCmd.decode(cmd);
        assertThat(d.address()).isEqualTo(0x3A7);
        assertThat(d.move()).isEqualTo(PtzCmd.Move.DOWN);
        assertThat(d.tiltSpeed()).isEqualTo(0x20);
        assertThat(d.panSpeed()).isZero();
    }

    @Test
    void decodingChecksBothCheckFields() {
        assertThatThrownBy(() -> PtzCmd.decode("A50F010280000038")).hasMessageContaining("checksum");
        assertThatThrownBy(() -> PtzCmd.decode("A50E010280000036")).hasMessageContaining("check");
        assertThatThrownBy(() -> PtzCmd.decode("A50F0102")).hasMessageContaining("16 hex");
    }

    @Test
    void movesParseAsTheConsoleWritesThem() {
        assertThat(PtzCmd.Move.parse("up-left")).isEqualTo(PtzCmd.Move.UP_LEFT);
        assertThat(PtzCmd.Move.parse("zoom-out")).isEqualTo(PtzCmd.Move.ZOOM_OUT);
        assertThat(PtzCmd.Move.parse("spin")).isNull();
    }
}
