-- Production-safety accidents recorded by county users (a configured severity vetoes the scores above
-- the site, 一票否决) and who recorded or changed each one. Times are epoch milliseconds; portable SQL
-- only: this runs on H2 and PostgreSQL.
CREATE TABLE accident (
    id            VARCHAR(40)   NOT NULL PRIMARY KEY,
    site          VARCHAR(1000) NOT NULL,
    severity      VARCHAR(20)   NOT NULL,
    deaths        INTEGER       NOT NULL,
    occurred_ms   BIGINT        NOT NULL,
    description   VARCHAR(8000) NOT NULL,
    recorded_by   VARCHAR(200)  NOT NULL,
    recorded_ms   BIGINT        NOT NULL
);
CREATE INDEX accident_occurred ON accident (occurred_ms);

CREATE TABLE accident_event (
    accident_id VARCHAR(40)   NOT NULL,
    seq         INTEGER       NOT NULL,
    action      VARCHAR(20)   NOT NULL,
    user_name   VARCHAR(200)  NOT NULL,
    at_ms       BIGINT        NOT NULL,
    content     VARCHAR(8000),
    PRIMARY KEY (accident_id, seq)
);
