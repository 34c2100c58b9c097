-- The hazard register: one row per hazard as it stands, its audit trail, its photos, and the notices
-- it has caused (one per hazard and step, so a notice is never sent twice for the same reason).
-- Times are epoch milliseconds (the same on H2 and PostgreSQL). Portable SQL only: this runs on both.

CREATE TABLE hazard (
    id                 VARCHAR(40)   NOT NULL PRIMARY KEY,
    seq                BIGINT        NOT NULL,
    site               VARCHAR(1000) NOT NULL,
    -- the site's ancestors at depth 1-3 (county, township, village): a subtree query is an indexed equality
    anc1               VARCHAR(200)  NOT NULL,
    anc2               VARCHAR(400),
    anc3               VARCHAR(600),
    departments        VARCHAR(4000) NOT NULL,
    place              VARCHAR(500),
    source             VARCHAR(40)   NOT NULL,
    source_ref         VARCHAR(200),
    grade              VARCHAR(10)   NOT NULL,
    category           VARCHAR(200),
    description        VARCHAR(8000) NOT NULL,
    state              VARCHAR(20)   NOT NULL,
    responsible        VARCHAR(200),
    measures           VARCHAR(4000),
    funds_yuan         BIGINT,
    deadline_ms        BIGINT,
    emergency_plan     VARCHAR(4000),
    order_no           VARCHAR(100),
    listed_level       VARCHAR(1000),
    listed_by          VARCHAR(200),
    listed_ms          BIGINT,
    listed_deadline_ms BIGINT,
    reported_by        VARCHAR(200)  NOT NULL,
    reported_ms        BIGINT        NOT NULL,
    updated_ms         BIGINT        NOT NULL,
    -- the deadline that counts while it runs (assigned, rectifying, or listed and not submitted), else null
    due_ms             BIGINT,
    -- when the deadline scanner must look at it next, and how many of its steps are done
    next_notice_ms     BIGINT,
    notice_step        INTEGER       NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX hazard_seq ON hazard (seq);
CREATE INDEX hazard_site_seq ON hazard (site, seq);
CREATE INDEX hazard_anc1 ON hazard (anc1, seq);
CREATE INDEX hazard_anc2 ON hazard (anc2, seq);
CREATE INDEX hazard_anc3 ON hazard (anc3, seq);
CREATE INDEX hazard_due ON hazard (due_ms);
CREATE INDEX hazard_grade_state ON hazard (grade, state, seq);
CREATE INDEX hazard_next_notice ON hazard (next_notice_ms);
CREATE INDEX hazard_listed ON hazard (listed_level);

CREATE TABLE hazard_event (
    hazard_id   VARCHAR(40)   NOT NULL,
    seq         INTEGER       NOT NULL,
    type        VARCHAR(20)   NOT NULL,
    user_name   VARCHAR(200),
    at_ms       BIGINT        NOT NULL,
    from_state  VARCHAR(20),
    to_state    VARCHAR(20),
    changes     VARCHAR(16000),
    note        VARCHAR(8000),
    PRIMARY KEY (hazard_id, seq)
);

CREATE TABLE hazard_photo (
    id           VARCHAR(40)  NOT NULL PRIMARY KEY,
    hazard_id    VARCHAR(40)  NOT NULL,
    stage        VARCHAR(20)  NOT NULL,
    content_type VARCHAR(40)  NOT NULL,
    bytes        INTEGER      NOT NULL,
    user_name    VARCHAR(200),
    at_ms        BIGINT       NOT NULL,
    data         BYTEA        NOT NULL
);
CREATE INDEX hazard_photo_hazard ON hazard_photo (hazard_id, at_ms);

CREATE TABLE hazard_notice (
    hazard_id   VARCHAR(40)   NOT NULL,
    step        VARCHAR(60)   NOT NULL,
    node        VARCHAR(1000),
    people      VARCHAR(2000),
    subject_zh  VARCHAR(500),
    subject_en  VARCHAR(500),
    text_zh     VARCHAR(4000),
    text_en     VARCHAR(4000),
    created_ms  BIGINT        NOT NULL,
    sent_ms     BIGINT,
    attempts    INTEGER       NOT NULL DEFAULT 0,
    last_error  VARCHAR(1000),
    PRIMARY KEY (hazard_id, step)
);
CREATE INDEX hazard_notice_unsent ON hazard_notice (sent_ms);
