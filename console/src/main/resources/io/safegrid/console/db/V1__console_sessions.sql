-- Operators' login sessions, kept across a restart. Only a SHA-256 of the cookie's token is kept:
-- whoever reads the file cannot log in with what they find there.
CREATE TABLE IF NOT EXISTS console_session (
    token_hash   VARCHAR(64)  PRIMARY KEY,
    user_name    VARCHAR(200) NOT NULL,
    credential   VARCHAR(64)  NOT NULL,
    created_ms   BIGINT       NOT NULL,
    last_used_ms BIGINT       NOT NULL
);
