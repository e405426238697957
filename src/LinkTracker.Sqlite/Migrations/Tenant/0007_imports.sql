-- Links brought in by `linktracker import`: where each came from, and its past clicks. Those clicks are added to
-- rollup_hourly (hour = the link's creation in the old system) once; this ledger says how many were added where,
-- so a re-run changes nothing and a newer export replaces the earlier counts instead of adding to them.
CREATE TABLE imported_links (
    code              TEXT PRIMARY KEY,
    source            TEXT NOT NULL,
    title             TEXT,
    source_created_at INTEGER,
    clicks            INTEGER NOT NULL,
    human_clicks      INTEGER NOT NULL,
    hour              INTEGER NOT NULL,
    campaign          TEXT,
    imported_at       INTEGER NOT NULL
) WITHOUT ROWID;
