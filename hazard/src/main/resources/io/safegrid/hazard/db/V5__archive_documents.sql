-- Scanned documents of dossier entries (licences, certificates, emergency plans): the bytes as sent,
-- their type as read from the bytes.
CREATE TABLE archive_document (
    id           VARCHAR(40)  NOT NULL PRIMARY KEY,
    item_id      VARCHAR(40)  NOT NULL,
    site         VARCHAR(1000) NOT NULL,
    name         VARCHAR(300) NOT NULL,
    content_type VARCHAR(40)  NOT NULL,
    bytes        INTEGER      NOT NULL,
    user_name    VARCHAR(200) NOT NULL,
    at_ms        BIGINT       NOT NULL,
    data         BYTEA        NOT NULL
);
CREATE INDEX archive_document_item ON archive_document (item_id, at_ms);
CREATE INDEX archive_document_site ON archive_document (site, at_ms);
