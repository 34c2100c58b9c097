package io.safegrid.ingest.gb28181.live;

import java.time.Duration;
import java.time.Instant;

/**
 * Where a channel's live video stands, for the console and operators: {@code starting} (INVITE sent, no
 * picture yet), {@code playing}, {@code failed} (with the step: invite, rtp, ssrc or decode, and the
 * detail naming the port and wait), or {@code stopped}.
 *
 * @param firstPicture INVITE to first picture (relayed: first PS bytes), or null before it
 */
public record StreamStatus(String channelId, String state, String step, String detail, Instant since, Duration firstPicture,
                           int rtpPort, boolean tcp) {

    static StreamStatus of(PlaySession s, boolean stopped) {
        PlaySession.Failure f = s.failure();
        String state = f != null ? "failed" : stopped ? "stopped" : s.pictures() > 0 ? "playing" : "starting";
        Duration first = s.firstPicture().isDone() && !s.firstPicture().isCompletedExceptionally() ? s.firstPicture().join() : null;
        return new StreamStatus(s.channelId(), state, f == null ? null : f.step().name().toLowerCase(java.util.Locale.ROOT),
                f == null ? null : f.detail(), s.startedAt(), first, s.rtpPort(), s.tcp());
    }
}
