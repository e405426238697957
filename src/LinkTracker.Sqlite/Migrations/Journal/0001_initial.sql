-- The click journal: a durable queue, emptied by the writer. seq orders it; (tenant, seq) lets the
-- writer take each tenant's oldest clicks without scanning the others'.
CREATE TABLE journal (
    seq            INTEGER PRIMARY KEY,
    tenant         TEXT NOT NULL,
    id             BLOB NOT NULL,
    code           TEXT NOT NULL,
    recipient      TEXT,
    at             INTEGER NOT NULL,
    user_agent     TEXT,
    referrer       TEXT,
    client_address TEXT,
    flags          INTEGER NOT NULL
);

CREATE INDEX journal_tenant_seq ON journal (tenant, seq);
