package io.safegrid.model.notice;

import java.util.List;

/**
 * Delivers notices through the deployment's rosters and channels. The caller stores each notice and
 * each of its {@link #routes} and retries a route until its {@link #send} returns, so an
 * implementation need not be durable itself, and a route that went out is never sent again.
 */
public interface GridNotices {
    /** Who is told and how, as the rosters stand now: one route per person and channel, no repeats. */
    List<NoticeRoute> routes(GridNotice notice);

    /**
     * Sends over one route; returns once the channel accepted it. Throws {@link NoticeRefused} when it
     * can never go out as it is, anything else when a later attempt may succeed.
     */
    void send(GridNotice notice, NoticeRoute route) throws Exception;
}
