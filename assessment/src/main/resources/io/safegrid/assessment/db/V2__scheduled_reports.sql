-- The scheduled reports that went out: one row per node, span and period, so a restart (or a second
-- tick) never sends the same report twice.
CREATE TABLE report_sent (
    node       VARCHAR(1000) NOT NULL,
    span       VARCHAR(10)   NOT NULL,
    first_day  DATE          NOT NULL,
    sent_ms    BIGINT        NOT NULL,
    PRIMARY KEY (node, span, first_day)
);
