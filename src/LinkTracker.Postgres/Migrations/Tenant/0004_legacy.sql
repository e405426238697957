-- One row: the tenant's legacy link tracker (strangler fallback); no row or a NULL base_url means no fallback.
CREATE TABLE legacy_settings (
    id         integer PRIMARY KEY CHECK (id = 1),
    base_url   text,
    updated_at timestamptz NOT NULL
);

-- Where a link came from: NULL when made here (API, CLI), 'legacy' when learned from the legacy system's answer,
-- with the redirect status that system used.
ALTER TABLE links ADD COLUMN source text;
ALTER TABLE links ADD COLUMN legacy_status integer;

CREATE INDEX links_source ON links (source, created_at) WHERE source IS NOT NULL;
