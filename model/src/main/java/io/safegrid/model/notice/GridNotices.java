package io.safegrid.model.notice;

/**
 * Delivers notices through the deployment's rosters and channels. The caller keeps each notice
 * until this returns (it retries after a failure), so an implementation need not be durable itself.
 */
@FunctionalInterface
public interface GridNotices {
    /** Returns once every recipient's channel accepted it; throws when some did not (the caller retries). */
    void deliver(GridNotice notice) throws Exception;
}
