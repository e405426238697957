-- Runs as the owner with search_path = <tenant schema>, pg_temp. The tenant's role owns nothing here;
-- the provisioner grants it SELECT, INSERT, UPDATE on these tables afterwards.

-- A deleted link keeps its row, so its code stays taken and old clicks never attach to a new link.
CREATE TABLE links (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE,
    destination text NOT NULL,
    tags        text[] NOT NULL DEFAULT '{}',
    campaign    text,
    expires_at  timestamptz,
    disabled    boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    deleted_at  timestamptz
);

CREATE INDEX links_campaign ON links (campaign, id) WHERE campaign IS NOT NULL;
CREATE INDEX links_tags ON links USING gin (tags);

-- Raw clicks, partitioned by month on the id itself: a UUIDv7 begins with its Unix time in milliseconds
-- and uuids compare bytewise, so a month is a range of ids. Keeping id the partition key lets the
-- primary key stay (id) alone, and ON CONFLICT (id) stays exact across partitions.
-- Ids outside the months that have a partition (not UUIDv7) land in clicks_default.
CREATE TABLE clicks (
    id             uuid NOT NULL,
    code           text NOT NULL,
    recipient      text,
    at             timestamptz NOT NULL,
    user_agent     text,
    referrer       text,
    client_address text,
    flags          integer NOT NULL,
    PRIMARY KEY (id)
) PARTITION BY RANGE (id);

CREATE TABLE clicks_default PARTITION OF clicks DEFAULT;

CREATE INDEX clicks_code_id ON clicks (code, id);

-- scope: '*' for the tenant, 'l:<code>' for a link, 'c:<campaign>' for a campaign; hour is UTC.
CREATE TABLE rollup_hourly (
    scope          text NOT NULL,
    hour           timestamptz NOT NULL,
    clicks         bigint NOT NULL,
    human_clicks   bigint NOT NULL,
    new_recipients bigint NOT NULL,
    PRIMARY KEY (scope, hour)
);

-- The first human click of each recipient per scope: makes unique counts exact and replay-safe.
CREATE TABLE first_seen (
    scope     text NOT NULL,
    recipient text NOT NULL,
    first_at  timestamptz NOT NULL,
    PRIMARY KEY (scope, recipient)
);

-- The lowest UUIDv7 of an instant's millisecond: a partition bound.
CREATE FUNCTION uuid7_floor(instant timestamptz) RETURNS uuid
LANGUAGE sql STABLE STRICT
SET search_path FROM CURRENT
AS $$
    SELECT (substr(hex, 1, 8) || '-' || substr(hex, 9, 4) || '-0000-0000-000000000000')::uuid
    FROM (SELECT lpad(to_hex(floor(extract(epoch FROM instant) * 1000)::bigint), 12, '0')) AS h (hex)
$$;

-- Creates the missing monthly partitions of clicks for the given instants. SECURITY DEFINER: the tenant's role
-- may call it but owns nothing, so the schema's owner creates (and owns) the partitions. Only the months of
-- 2000-2099 get one, so a random (non-v7) id never asks for a partition whose rows clicks_default already holds.
CREATE FUNCTION ensure_click_partitions(instants timestamptz[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
DECLARE
    month_start    timestamptz;
    partition_name text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext(current_schema() || '.clicks partitions'));
    FOR month_start IN
        SELECT DISTINCT date_trunc('month', i, 'UTC') FROM unnest(instants) AS u (i)
        WHERE i >= '2000-01-01T00:00:00Z' AND i < '2100-01-01T00:00:00Z'
    LOOP
        partition_name := 'clicks_' || to_char(month_start AT TIME ZONE 'UTC', 'YYYY_MM');
        IF to_regclass(format('%I.%I', current_schema(), partition_name)) IS NULL THEN
            EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.clicks FOR VALUES FROM (%L) TO (%L)',
                current_schema(), partition_name, current_schema(),
                uuid7_floor(month_start),
                uuid7_floor((month_start AT TIME ZONE 'UTC' + interval '1 month') AT TIME ZONE 'UTC'));
        END IF;
    END LOOP;
END
$$;

REVOKE ALL ON FUNCTION ensure_click_partitions(timestamptz[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION uuid7_floor(timestamptz) FROM PUBLIC;
