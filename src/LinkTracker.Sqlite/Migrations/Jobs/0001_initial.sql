-- Jobs waiting or leased. The owning process keeps the schedule in memory and never polls this table:
-- it is the durable record, written on every change and read once at start. seq orders jobs due together.
CREATE TABLE jobs (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    type         TEXT NOT NULL,
    tenant       TEXT,
    payload      TEXT NOT NULL,
    enqueued_at  INTEGER NOT NULL,
    due_at       INTEGER NOT NULL,
    attempts     INTEGER NOT NULL,
    -- Set while a consumer holds the job; still set at start means the process stopped mid-job.
    leased_until INTEGER,
    last_error   TEXT
);

CREATE INDEX jobs_due ON jobs (due_at, seq);

-- Jobs that failed every attempt, kept with their last error until redriven or purged.
CREATE TABLE dead_jobs (
    id          TEXT PRIMARY KEY,
    type        TEXT NOT NULL,
    tenant      TEXT,
    payload     TEXT NOT NULL,
    enqueued_at INTEGER NOT NULL,
    attempts    INTEGER NOT NULL,
    last_error  TEXT NOT NULL,
    died_at     INTEGER NOT NULL
);

CREATE INDEX dead_jobs_died_at ON dead_jobs (died_at, id);
