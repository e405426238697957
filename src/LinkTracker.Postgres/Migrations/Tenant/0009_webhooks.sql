-- One row: the tenant's click webhook (url NULL once removed) and its cursor, the id of the last stored click already
-- delivered or skipped. campaigns and tags are JSON arrays of strings (empty: every click).
CREATE TABLE click_webhook (
    id         integer PRIMARY KEY CHECK (id = 1),
    url        text,
    secret     text,
    campaigns  text NOT NULL,
    tags       text NOT NULL,
    cursor     uuid NOT NULL,
    updated_at timestamptz NOT NULL
);

-- A segment's schedule ('daily' or NULL) and webhook; a row of a deleted segment is ignored (the tenant's role may
-- not DELETE, so removing sets NULLs).
CREATE TABLE segment_deliveries (
    segment_id     text PRIMARY KEY,
    schedule       text,
    webhook_url    text,
    webhook_secret text,
    updated_at     timestamptz NOT NULL
);
