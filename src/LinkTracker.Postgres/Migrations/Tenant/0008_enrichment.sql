-- What the writer's enrichment stage adds to each click (ADR 17); null on clicks written before it.
ALTER TABLE clicks
    ADD COLUMN reason text,
    ADD COLUMN device text,
    ADD COLUMN browser text,
    ADD COLUMN os text,
    ADD COLUMN country text,
    ADD COLUMN city text;

-- Hourly clicks per value of a breakdown (country, device, browser, os, referrer, reason), per scope as in
-- rollup_hourly; written with the clicks, so breakdowns never read raw clicks. Counts start at this migration.
CREATE TABLE rollup_breakdown (
    scope        text NOT NULL,
    dimension    text NOT NULL,
    hour         timestamptz NOT NULL,
    value        text NOT NULL,
    clicks       bigint NOT NULL,
    human_clicks bigint NOT NULL,
    PRIMARY KEY (scope, dimension, hour, value)
);
