-- Each notice's routes (one person on one channel), resolved from the rosters when the notice is first
-- sent. A route is sent, retried with backoff and remembered on its own: a retry never repeats a channel
-- that took it, and a restart resumes only what did not go out. A notice is done (sent_ms) once none of
-- its routes waits.

CREATE TABLE hazard_notice_route (
    hazard_id   VARCHAR(40)   NOT NULL,
    step        VARCHAR(60)   NOT NULL,
    recipient   VARCHAR(200)  NOT NULL,
    channel_id  VARCHAR(100)  NOT NULL,
    address     VARCHAR(500),
    -- QUEUED (waiting for next_ms), SENT, FAILED (refused for good, or too many attempts)
    status      VARCHAR(10)   NOT NULL,
    attempts    INTEGER       NOT NULL DEFAULT 0,
    next_ms     BIGINT        NOT NULL,
    sent_ms     BIGINT,
    last_error  VARCHAR(1000),
    PRIMARY KEY (hazard_id, step, recipient, channel_id)
);
CREATE INDEX hazard_notice_route_due ON hazard_notice_route (status, next_ms);

ALTER TABLE hazard_notice ADD COLUMN routed_ms BIGINT;
CREATE INDEX hazard_notice_unrouted ON hazard_notice (routed_ms);
