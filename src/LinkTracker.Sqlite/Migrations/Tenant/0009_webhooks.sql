-- One row: the tenant's click webhook (url NULL once removed) and its cursor, the id of the last stored click already
-- delivered or skipped. campaigns and tags are JSON arrays of strings (empty: every click).
CREATE TABLE click_webhook (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    url        TEXT,
    secret     TEXT,
    campaigns  TEXT NOT NULL,
    tags       TEXT NOT NULL,
    cursor     BLOB NOT NULL,
    updated_at INTEGER NOT NULL
);

-- A segment's schedule ('daily' or NULL) and webhook; a row of a deleted segment is ignored.
CREATE TABLE segment_deliveries (
    segment_id     TEXT PRIMARY KEY,
    schedule       TEXT,
    webhook_url    TEXT,
    webhook_secret TEXT,
    updated_at     INTEGER NOT NULL
) WITHOUT ROWID;
