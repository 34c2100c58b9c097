package io.safegrid.ingest.camera;

import java.util.Locale;

/**
 * The one line an edge box sends before its video:
 * <pre>SAFEGRID-PUSH &lt;camera-id&gt; &lt;token&gt; [mpegts|h264|mpeg]\n</pre> ({@code mpeg}: MPEG-PS, as GB/T 28181 relays it)
 * {@code token} is the camera's secret from the deployment's access list, or {@code -} for a
 * camera that has none. The node answers {@code OK\n} and reads video, or {@code ERR <reason>\n}
 * and closes.
 */
record PushHeader(String cameraId, String token, String format) {
    static final String MAGIC = "SAFEGRID-PUSH";
    static final int MAX_LENGTH = 512;

    static PushHeader parse(String line) {
        String[] parts = line.strip().split("\\s+");
        if (parts.length < 3 || parts.length > 4 || !parts[0].equals(MAGIC)) {
            throw new IllegalArgumentException("expected '" + MAGIC + " <camera-id> <token> [mpegts|h264]'");
        }
        for (String part : parts) {
            // ids and tokens are visible ASCII: a control or other whitespace character would make a
            // token that looks empty in every log and form
            if (!part.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("the header may hold only visible ASCII separated by spaces");
            }
        }
        String format = parts.length == 4 ? parts[3].toLowerCase(Locale.ROOT) : "mpegts";
        if (!format.equals("mpegts") && !format.equals("h264") && !format.equals("mpeg")) {
            throw new IllegalArgumentException("unsupported format '" + parts[3] + "' (mpegts, h264 or mpeg)");
        }
        return new PushHeader(parts[1], parts[2], format);
    }

    /** The line a pusher sends. */
    static String line(String cameraId, String token, String format) {
        return MAGIC + " " + cameraId + " " + (token == null || token.isEmpty() ? "-" : token) + " " + format + "\n";
    }
}
