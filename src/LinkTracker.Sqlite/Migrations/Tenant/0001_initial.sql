CREATE TABLE links (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    destination TEXT NOT NULL,
    campaign    TEXT,
    expires_at  INTEGER,
    disabled    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    deleted_at  INTEGER
);

CREATE INDEX links_campaign ON links (campaign, id) WHERE campaign IS NOT NULL;

CREATE TABLE link_tags (
    link_id INTEGER NOT NULL REFERENCES links (id),
    tag     TEXT NOT NULL,
    PRIMARY KEY (tag, link_id)
) WITHOUT ROWID;

-- Raw clicks; the id is a UUIDv7 in big-endian bytes, so it sorts by time.
CREATE TABLE clicks (
    id             BLOB PRIMARY KEY,
    code           TEXT NOT NULL,
    recipient      TEXT,
    at             INTEGER NOT NULL,
    user_agent     TEXT,
    referrer       TEXT,
    client_address TEXT,
    flags          INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX clicks_code_id ON clicks (code, id);

-- scope: '*' for the tenant, 'l:<code>' for a link, 'c:<campaign>' for a campaign.
CREATE TABLE rollup_hourly (
    scope          TEXT NOT NULL,
    hour           INTEGER NOT NULL,
    clicks         INTEGER NOT NULL,
    human_clicks   INTEGER NOT NULL,
    new_recipients INTEGER NOT NULL,
    PRIMARY KEY (scope, hour)
) WITHOUT ROWID;

-- The first human click of each recipient per scope: makes unique counts exact and replay-safe.
CREATE TABLE first_seen (
    scope     TEXT NOT NULL,
    recipient TEXT NOT NULL,
    first_at  INTEGER NOT NULL,
    PRIMARY KEY (scope, recipient)
) WITHOUT ROWID;
