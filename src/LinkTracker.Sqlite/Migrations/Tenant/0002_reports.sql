-- One row: the tenant's report settings (time zone, webhook). The secret is kept readable because signing needs it.
CREATE TABLE report_settings (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    time_zone      TEXT NOT NULL,
    webhook_url    TEXT,
    webhook_secret TEXT,
    updated_at     INTEGER NOT NULL
);

-- Daily reports keyed by the tenant's local date (yyyy-MM-dd); a re-run replaces the row.
-- content is the report's JSON as served, byte for byte; generated_at stays out of it.
CREATE TABLE reports (
    day          TEXT PRIMARY KEY,
    time_zone    TEXT NOT NULL,
    from_at      INTEGER NOT NULL,
    to_at        INTEGER NOT NULL,
    generated_at INTEGER NOT NULL,
    content      TEXT NOT NULL
) WITHOUT ROWID;
