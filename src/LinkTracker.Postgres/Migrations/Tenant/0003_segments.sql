-- Saved segments: filter is the validated filter tree's JSON (never SQL). The provisioner grants the tenant's role
-- DELETE on these three tables (a deleted segment takes its runs and recipients along).
CREATE TABLE segments (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    filter     text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

-- Runs of a segment; state queued -> running -> completed | failed. At most one runs at a time per tenant
-- (a running run with lease_until in the future); filter is the segment's filter when the run was asked for.
CREATE TABLE segment_runs (
    id           text PRIMARY KEY,
    segment_id   text NOT NULL,
    filter       text NOT NULL,
    state        text NOT NULL,
    requested_at timestamptz NOT NULL,
    started_at   timestamptz,
    lease_until  timestamptz,
    finished_at  timestamptz,
    as_of        timestamptz,
    recipients   bigint,
    rows_read    bigint,
    duration_ms  bigint,
    error        text
);

CREATE INDEX segment_runs_state ON segment_runs (state, requested_at);
CREATE INDEX segment_runs_segment ON segment_runs (segment_id, state, finished_at);

-- The recipients of each segment's last completed run; "C" collation so paging order is bytewise, as on SQLite.
CREATE TABLE segment_recipients (
    run_id    text NOT NULL,
    recipient text COLLATE "C" NOT NULL,
    PRIMARY KEY (run_id, recipient)
);
