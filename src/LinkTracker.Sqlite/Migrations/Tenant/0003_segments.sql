-- Saved segments: filter is the validated filter tree's JSON (never SQL).
CREATE TABLE segments (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    filter     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Runs of a segment; state queued -> running -> completed | failed. At most one runs at a time per tenant
-- (a running run with lease_until in the future); filter is the segment's filter when the run was asked for.
CREATE TABLE segment_runs (
    id           TEXT PRIMARY KEY,
    segment_id   TEXT NOT NULL,
    filter       TEXT NOT NULL,
    state        TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    started_at   INTEGER,
    lease_until  INTEGER,
    finished_at  INTEGER,
    as_of        INTEGER,
    recipients   INTEGER,
    rows_read    INTEGER,
    duration_ms  INTEGER,
    error        TEXT
) WITHOUT ROWID;

CREATE INDEX segment_runs_state ON segment_runs (state, requested_at);
CREATE INDEX segment_runs_segment ON segment_runs (segment_id, state, finished_at);

-- The recipients of each segment's last completed run (older runs' rows are dropped when a newer one completes).
CREATE TABLE segment_recipients (
    run_id    TEXT NOT NULL,
    recipient TEXT NOT NULL,
    PRIMARY KEY (run_id, recipient)
) WITHOUT ROWID;
