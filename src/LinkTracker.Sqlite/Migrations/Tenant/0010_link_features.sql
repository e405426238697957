-- A link's UTM parameters, redirect rules and visit limit as one JSON object (NULL: none); see ADR 25.
ALTER TABLE links ADD COLUMN features TEXT;

-- Where the tenant's redirects send an unknown code and an expired, disabled or used-up link (NULL: the 404/410 pages).
ALTER TABLE legacy_settings ADD COLUMN not_found_url TEXT;
ALTER TABLE legacy_settings ADD COLUMN gone_url TEXT;

-- Visits counted for links with a visit limit in the embedded deployment (the distributed one counts in Redis), per
-- link version (its creation time in Unix ms), so a count never carries over to another link with the same code.
CREATE TABLE link_visits (
    code    text NOT NULL,
    version bigint NOT NULL,
    count   bigint NOT NULL,
    PRIMARY KEY (code, version)
);
