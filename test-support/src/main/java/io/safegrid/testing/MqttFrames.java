package io.safegrid.testing;

import java.io.ByteArrayOutputStream;

/** Raw MQTT frames, for clients that must misbehave in ways a real client library refuses to. */
public final class MqttFrames {
    private MqttFrames() {
    }

    /** A control packet: its fixed-header byte, the remaining length as a variable-byte integer, the body. */
    public static byte[] packet(int type, byte[] body) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(type);
        int n = body.length;
        do {
            int d = n % 128;
            n /= 128;
            p.write(n > 0 ? d | 0x80 : d);
        } while (n > 0);
        p.writeBytes(body);
        return p.toByteArray();
    }
}
