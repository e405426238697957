-- Runs as the owner with search_path = catalog. The database's write budget (ADR 22): one row, shared by every
-- writer that drains into this database. next_slot is the earliest time the next write transaction may start;
-- second/granted count the grants of the latest second, previous_granted those of the second before it.
CREATE TABLE write_budget (
    id               boolean PRIMARY KEY DEFAULT true CHECK (id),
    next_slot        timestamptz NOT NULL DEFAULT '-infinity',
    second           timestamptz NOT NULL DEFAULT '-infinity',
    granted          integer NOT NULL DEFAULT 0,
    previous_granted integer NOT NULL DEFAULT 0
);

INSERT INTO write_budget DEFAULT VALUES;
