-- Inspections in PDCA cycles: plans, one task per target enterprise (the plan's targets are its tasks'), the items of each task as checked,
-- their photos, re-inspections of the hazards they raised, and the audit trail of every step.
-- Times are epoch milliseconds and lists are JSON text, the same on H2 and PostgreSQL. Portable SQL only.

CREATE TABLE sv_plan (
    id             VARCHAR(40)   NOT NULL PRIMARY KEY,
    title          VARCHAR(200)  NOT NULL,
    owner          VARCHAR(1000) NOT NULL,
    rule_subtree   VARCHAR(1000),
    rule_min_risk  VARCHAR(20),
    inspectors     VARCHAR(4000) NOT NULL,
    starts_ms      BIGINT,
    due_ms         BIGINT        NOT NULL,
    template       VARCHAR(40),
    items          VARCHAR(64000) NOT NULL,
    unannounced    BOOLEAN       NOT NULL,
    created_by     VARCHAR(200)  NOT NULL,
    created_ms     BIGINT        NOT NULL
);
CREATE INDEX sv_plan_created ON sv_plan (created_ms);

CREATE TABLE sv_task (
    id             VARCHAR(40)   NOT NULL PRIMARY KEY,
    plan_id        VARCHAR(40)   NOT NULL,
    -- the target's place in the plan's list
    seq            INTEGER       NOT NULL,
    target         VARCHAR(1000) NOT NULL,
    -- the target's township (depth 2), so completion per township is an indexed equality
    township       VARCHAR(400)  NOT NULL,
    due_ms         BIGINT        NOT NULL,
    done_by        VARCHAR(200),
    done_ms        BIGINT,
    location       VARCHAR(200)
);
CREATE INDEX sv_task_plan ON sv_task (plan_id, seq);
CREATE INDEX sv_task_target ON sv_task (target, due_ms);
CREATE INDEX sv_task_township ON sv_task (township, due_ms);

CREATE TABLE sv_item (
    task_id        VARCHAR(40)   NOT NULL,
    item_no        INTEGER       NOT NULL,
    item_key       VARCHAR(100),
    item_text      VARCHAR(1000),
    outcome        VARCHAR(20)   NOT NULL,
    note           VARCHAR(4000),
    hazard_id      VARCHAR(40),
    checked_by     VARCHAR(200),
    checked_ms     BIGINT,
    PRIMARY KEY (task_id, item_no)
);
CREATE INDEX sv_item_hazard ON sv_item (hazard_id);

CREATE TABLE sv_photo (
    id             VARCHAR(40)   NOT NULL PRIMARY KEY,
    task_id        VARCHAR(40)   NOT NULL,
    item_no        INTEGER       NOT NULL,
    content_type   VARCHAR(40)   NOT NULL,
    bytes          INTEGER       NOT NULL,
    user_name      VARCHAR(200),
    at_ms          BIGINT        NOT NULL,
    data           BYTEA         NOT NULL
);
CREATE INDEX sv_photo_item ON sv_photo (task_id, item_no, at_ms);

CREATE TABLE sv_reinspection (
    task_id        VARCHAR(40)   NOT NULL,
    item_no        INTEGER       NOT NULL,
    seq            INTEGER       NOT NULL,
    hazard_id      VARCHAR(40)   NOT NULL,
    accepted       BOOLEAN       NOT NULL,
    note           VARCHAR(4000),
    user_name      VARCHAR(200)  NOT NULL,
    at_ms          BIGINT        NOT NULL,
    PRIMARY KEY (task_id, item_no, seq)
);

-- who did what, when: one line per step of a plan or task, written in the step's own transaction
CREATE TABLE sv_event (
    subject        VARCHAR(40)   NOT NULL,
    seq            INTEGER       NOT NULL,
    type           VARCHAR(30)   NOT NULL,
    user_name      VARCHAR(200),
    at_ms          BIGINT        NOT NULL,
    detail         VARCHAR(8000),
    PRIMARY KEY (subject, seq)
);
