-- Links brought in by `linktracker import`: where each came from, and its past clicks. Those clicks are added to
-- rollup_hourly (hour = the link's creation in the old system) once; this ledger says how many were added where,
-- so a re-run changes nothing and a newer export replaces the earlier counts instead of adding to them.
CREATE TABLE imported_links (
    code              text PRIMARY KEY,
    source            text NOT NULL,
    title             text,
    source_created_at timestamptz,
    clicks            bigint NOT NULL,
    human_clicks      bigint NOT NULL,
    hour              timestamptz NOT NULL,
    campaign          text,
    imported_at       timestamptz NOT NULL
);
