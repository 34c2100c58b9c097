package io.safegrid.ingest.gb28181.live;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The SDP of GB/T 28181 live video: {@code s=Play}, PS over RTP on payload 96, and the {@code y=} SSRC line. */
public final class Sdp {
    private static final Pattern CONNECTION = Pattern.compile("(?m)^c=IN IP4 (\\S+)");
    private static final Pattern MEDIA = Pattern.compile("(?m)^m=video (\\d+) (\\S+)");
    private static final Pattern SSRC = Pattern.compile("(?m)^y=(\\d{1,10})");

    private Sdp() {
    }

    /** What a peer's SDP says: where RTP goes (or comes from), over which transport, with which SSRC. */
    public record Media(String host, int port, String transport, String ssrc) {
    }

    /**
     * The platform's offer: receive PS over RTP at host:port, over UDP, or over TCP with this side
     * listening ({@code TCP/RTP/AVP}, {@code a=setup:passive}: the device connects).
     *
     * @param ssrc 10 digits: 0 (live) + digits 4–8 of the SIP domain + a 4-digit serial
     */
    public static String offer(String serverId, String host, int port, String ssrc, boolean tcp) {
        return "v=0\r\no=" + serverId + " 0 0 IN IP4 " + host + "\r\ns=Play\r\nc=IN IP4 " + host + "\r\nt=0 0\r\n"
                + "m=video " + port + (tcp ? " TCP/RTP/AVP" : " RTP/AVP") + " 96 98 97\r\na=recvonly\r\n"
                + "a=rtpmap:96 PS/90000\r\na=rtpmap:98 H264/90000\r\na=rtpmap:97 MPEG4/90000\r\n"
                + (tcp ? "a=setup:passive\r\na=connection:new\r\n" : "") + "y=" + ssrc + "\r\n";
    }

    /** A device's answer: it sends from host:port. */
    public static String answer(String deviceId, String host, int port, String ssrc) {
        return "v=0\r\no=" + deviceId + " 0 0 IN IP4 " + host + "\r\ns=Play\r\nc=IN IP4 " + host + "\r\nt=0 0\r\n"
                + "m=video " + port + " RTP/AVP 96\r\na=sendonly\r\na=rtpmap:96 PS/90000\r\ny=" + ssrc + "\r\n";
    }

    /** The SSRC for a live stream: {@code 0} + domain digits 4–8 + serial (mod 10000). */
    public static String liveSsrc(String domain, int serial) {
        return "0" + domain.substring(3, 8) + String.format("%04d", Math.floorMod(serial, 10000));
    }

    /** @throws IllegalArgumentException when a line GB/T 28181 needs is missing */
    public static Media parse(String sdp) {
        Matcher c = CONNECTION.matcher(sdp);
        Matcher m = MEDIA.matcher(sdp);
        if (!c.find() || !m.find()) {
            throw new IllegalArgumentException("SDP without c=IN IP4 or m=video");
        }
        Matcher y = SSRC.matcher(sdp);
        return new Media(c.group(1), Integer.parseInt(m.group(1)), m.group(2), y.find() ? y.group(1) : null);
    }
}
