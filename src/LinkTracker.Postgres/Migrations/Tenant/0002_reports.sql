-- One row: the tenant's report settings (time zone, webhook). The secret is kept readable because signing needs it.
CREATE TABLE report_settings (
    id             integer PRIMARY KEY CHECK (id = 1),
    time_zone      text NOT NULL,
    webhook_url    text,
    webhook_secret text,
    updated_at     timestamptz NOT NULL
);

-- Daily reports keyed by the tenant's local date; a re-run replaces the row (the tenant's role may not DELETE).
-- content is text, not jsonb: the report's JSON is served byte for byte as it was made.
CREATE TABLE reports (
    day          date PRIMARY KEY,
    time_zone    text NOT NULL,
    from_at      timestamptz NOT NULL,
    to_at        timestamptz NOT NULL,
    generated_at timestamptz NOT NULL,
    content      text NOT NULL
);
