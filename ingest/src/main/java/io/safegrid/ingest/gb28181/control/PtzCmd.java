package io.safegrid.ingest.gb28181.control;

import java.util.HexFormat;
import java.util.Locale;

/**
 * The 8-byte PTZ instruction of GB/T 28181 A.3, written as 16 hex digits in {@code <PTZCmd>}:
 * {@code A5}, version and check nibble, address low byte, instruction, pan speed, tilt speed,
 * zoom speed (high nibble) with address high nibble, and the sum of the first seven bytes mod 256.
 * The instruction's low six bits are zoom out, zoom in, up, down, left, right; 0 stops.
 */
public final class PtzCmd {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    static final int ZOOM_OUT = 0x20;
    static final int ZOOM_IN = 0x10;
    static final int UP = 0x08;
    static final int DOWN = 0x04;
    static final int LEFT = 0x02;
    static final int RIGHT = 0x01;

    /** A move the console offers; {@code STOP} ends any move. */
    public enum Move {
        STOP(0), LEFT(PtzCmd.LEFT), RIGHT(PtzCmd.RIGHT), UP(PtzCmd.UP), DOWN(PtzCmd.DOWN),
        UP_LEFT(PtzCmd.UP | PtzCmd.LEFT), UP_RIGHT(PtzCmd.UP | PtzCmd.RIGHT), DOWN_LEFT(PtzCmd.DOWN | PtzCmd.LEFT),
        DOWN_RIGHT(PtzCmd.DOWN | PtzCmd.RIGHT), ZOOM_IN(PtzCmd.ZOOM_IN), ZOOM_OUT(PtzCmd.ZOOM_OUT);

        final int bits;

        Move(int bits) { this.bits = bits; }

        /** {@code left}, {@code up-left}, {@code zoom-in} …; null when unknown. */
        public static Move parse(String s) {
            if (s == null) {
                return null;
            }
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    /** A decoded instruction. */
    public record Decoded(int address, int instruction, int panSpeed, int tiltSpeed, int zoomSpeed) {
        public Move move() {
            for (Move m : Move.values()) {
                if (m.bits == (instruction & 0x3F)) {
                    return m;
                }
            }
            return null;
        }
    }

    private PtzCmd() {
    }

    /**
     * @param speed 0–255 for pan and tilt; zoom takes its top four bits
     * @param address the camera's PTZ address, 0–4095 (devices commonly use 1)
     */
    public static String encode(Move move, int speed, int address) {
        if (speed < 0 || speed > 255 || address < 0 || address > 0xFFF) {
            throw new IllegalArgumentException("speed 0-255 and address 0-4095, got " + speed + " and " + address);
        }
        boolean pans = (move.bits & (LEFT | RIGHT)) != 0;
        boolean tilts = (move.bits & (UP | DOWN)) != 0;
        boolean zooms = (move.bits & (ZOOM_IN | ZOOM_OUT)) != 0;
        byte[] b = new byte[8];
        b[0] = (byte) 0xA5;
        int version = 0;
        b[1] = (byte) ((version << 4) | ((0xA + 0x5 + version) & 0x0F));
        b[2] = (byte) (address & 0xFF);
        b[3] = (byte) move.bits;
        b[4] = (byte) (pans ? speed : 0);
        b[5] = (byte) (tilts ? speed : 0);
        b[6] = (byte) (((zooms ? speed >> 4 : 0) << 4) | ((address >> 8) & 0x0F));
        int sum = 0;
        for (int i = 0; i < 7; i++) {
            sum += b[i] & 0xFF;
        }
        b[7] = (byte) sum;
        return HEX.formatHex(b);
    }

    /** @throws IllegalArgumentException when it is not 16 hex digits, does not start A5, or a check fails */
    public static Decoded decode(String hex) {
        if (hex == null || hex.length() != 16) {
            throw new IllegalArgumentException("PTZCmd is 16 hex digits, got " + hex);
        }
        byte[] b = HexFormat.of().parseHex(hex);
        if ((b[0] & 0xFF) != 0xA5) {
            throw new IllegalArgumentException("PTZCmd starts A5, got " + hex.substring(0, 2));
        }
        int version = (b[1] & 0xF0) >> 4;
        if ((b[1] & 0x0F) != ((0xA + 0x5 + version) & 0x0F)) {
            throw new IllegalArgumentException("PTZCmd's second byte fails its check: " + hex.substring(2, 4));
        }
        int sum = 0;
        for (int i = 0; i < 7; i++) {
            sum += b[i] & 0xFF;
        }
        if ((sum & 0xFF) != (b[7] & 0xFF)) {
            throw new IllegalArgumentException("PTZCmd checksum " + hex.substring(14) + ", expected "
                    + String.format("%02X", sum & 0xFF));
        }
        return new Decoded(((b[6] & 0x0F) << 8) | (b[2] & 0xFF), b[3] & 0xFF, b[4] & 0xFF, b[5] & 0xFF, (b[6] & 0xF0) >> 4);
    }

    /** The DeviceControl MESSAGE body (without prolog) carrying one instruction to a channel. */
    public static String deviceControl(long sn, String channelId, String ptzCmd) {
        return "<Control>\r\n<CmdType>DeviceControl</CmdType>\r\n<SN>" + sn + "</SN>\r\n<DeviceID>" + channelId
                + "</DeviceID>\r\n<PTZCmd>" + ptzCmd + "</PTZCmd>\r\n<Info>\r\n<ControlPriority>5</ControlPriority>\r\n</Info>\r\n"
                + "</Control>\r\n";
    }
}
