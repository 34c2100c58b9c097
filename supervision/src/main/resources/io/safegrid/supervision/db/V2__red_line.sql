-- The red-line register: violations, the rules that make an enterprise a candidate, the listings
-- (listed, appealed, removed, handed off for 除名) and their audit trail. Same conventions as V1.

CREATE TABLE rl_violation (
    id             VARCHAR(40)   NOT NULL PRIMARY KEY,
    site           VARCHAR(1000) NOT NULL,
    worker         VARCHAR(200),
    source         VARCHAR(20)   NOT NULL,
    source_ref     VARCHAR(200),
    severity       VARCHAR(20)   NOT NULL,
    description    VARCHAR(4000) NOT NULL,
    at_ms          BIGINT        NOT NULL,
    recorded_by    VARCHAR(200)  NOT NULL,
    recorded_ms    BIGINT        NOT NULL
);
CREATE INDEX rl_violation_site ON rl_violation (site, at_ms);

CREATE TABLE rl_rule (
    id             VARCHAR(40)   NOT NULL PRIMARY KEY,
    name           VARCHAR(200)  NOT NULL,
    severity       VARCHAR(20)   NOT NULL,
    source         VARCHAR(20),
    min_count      INTEGER       NOT NULL,
    window_days    INTEGER       NOT NULL,
    active         BOOLEAN       NOT NULL
);
-- 一年内三次严重违法违规; 一年内三次甲烷断电闭锁被人为解除 (power-off overrides, from alarms)
INSERT INTO rl_rule VALUES ('three-serious-a-year', 'rlRuleThreeSerious', 'SERIOUS', NULL, 3, 365, TRUE);
INSERT INTO rl_rule VALUES ('repeated-override', 'rlRuleRepeatedOverride', 'GENERAL', 'ALARM', 3, 365, TRUE);

CREATE TABLE rl_entry (
    id             VARCHAR(40)   NOT NULL PRIMARY KEY,
    site           VARCHAR(1000) NOT NULL,
    listing_level  VARCHAR(1000) NOT NULL,
    rule_id        VARCHAR(40),
    reason         VARCHAR(4000) NOT NULL,
    violation_ids  VARCHAR(8000) NOT NULL,
    state          VARCHAR(20)   NOT NULL,
    listed_by      VARCHAR(200)  NOT NULL,
    listed_ms      BIGINT        NOT NULL,
    updated_ms     BIGINT        NOT NULL,
    hand_off_to    VARCHAR(200),
    hand_off_ref   VARCHAR(200)
);
CREATE INDEX rl_entry_site ON rl_entry (site, state);

CREATE TABLE rl_event (
    entry_id       VARCHAR(40)   NOT NULL,
    seq            INTEGER       NOT NULL,
    type           VARCHAR(30)   NOT NULL,
    from_state     VARCHAR(20),
    to_state       VARCHAR(20),
    user_name      VARCHAR(200)  NOT NULL,
    at_ms          BIGINT        NOT NULL,
    note           VARCHAR(4000),
    PRIMARY KEY (entry_id, seq)
);
