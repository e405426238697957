-- What the writer's enrichment stage adds to each click (ADR 17); null on clicks written before it.
ALTER TABLE clicks ADD COLUMN reason TEXT;
ALTER TABLE clicks ADD COLUMN device TEXT;
ALTER TABLE clicks ADD COLUMN browser TEXT;
ALTER TABLE clicks ADD COLUMN os TEXT;
ALTER TABLE clicks ADD COLUMN country TEXT;
ALTER TABLE clicks ADD COLUMN city TEXT;

-- Hourly clicks per value of a breakdown (country, device, browser, os, referrer, reason), per scope as in
-- rollup_hourly; written with the clicks, so breakdowns never read raw clicks. Counts start at this migration.
CREATE TABLE rollup_breakdown (
    scope        TEXT NOT NULL,
    dimension    TEXT NOT NULL,
    hour         INTEGER NOT NULL,
    value        TEXT NOT NULL,
    clicks       INTEGER NOT NULL,
    human_clicks INTEGER NOT NULL,
    PRIMARY KEY (scope, dimension, hour, value)
) WITHOUT ROWID;
