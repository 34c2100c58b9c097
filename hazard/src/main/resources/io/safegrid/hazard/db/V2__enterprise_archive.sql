-- The safety archive, one dossier per enterprise (一企一档): licences, organisation, certificates,
-- equipment, emergency plans, insurance and standardisation, each with its expiry; and who changed what.
CREATE TABLE archive_item (
    id          VARCHAR(40)   NOT NULL PRIMARY KEY,
    site        VARCHAR(1000) NOT NULL,
    kind        VARCHAR(30)   NOT NULL,
    name        VARCHAR(500)  NOT NULL,
    number      VARCHAR(200),
    holder      VARCHAR(200),
    issued      DATE,
    expires     DATE,
    level       VARCHAR(100),
    note        VARCHAR(4000),
    updated_by  VARCHAR(200)  NOT NULL,
    updated_ms  BIGINT        NOT NULL,
    -- the expiry whose reminders went out: a renewal (new expiry) is reminded again
    reminded_for DATE
);
CREATE INDEX archive_item_site ON archive_item (site, kind);
CREATE INDEX archive_item_expires ON archive_item (expires);

CREATE TABLE archive_event (
    item_id     VARCHAR(40)   NOT NULL,
    seq         INTEGER       NOT NULL,
    site        VARCHAR(1000) NOT NULL,
    action      VARCHAR(20)   NOT NULL,
    user_name   VARCHAR(200)  NOT NULL,
    at_ms       BIGINT        NOT NULL,
    content     VARCHAR(8000),
    PRIMARY KEY (item_id, seq)
);
