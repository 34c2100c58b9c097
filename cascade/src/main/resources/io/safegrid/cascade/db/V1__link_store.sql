-- The cascade's link store: per peer, the outgoing queue of numbered messages, the highest number
-- ever queued, and the number of the last message applied from it. ${binary} is the dialect's byte
-- string (H2 VARBINARY, PostgreSQL BYTEA); everything else is portable.

CREATE TABLE IF NOT EXISTS cascade_queue (
    peer VARCHAR(64) NOT NULL, seq BIGINT NOT NULL, body ${binary} NOT NULL,
    bytes INT NOT NULL, PRIMARY KEY (peer, seq));
CREATE TABLE IF NOT EXISTS cascade_queue_head (peer VARCHAR(64) PRIMARY KEY, last_seq BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS cascade_applied (peer VARCHAR(64) PRIMARY KEY, last_seq BIGINT NOT NULL);
