-- The campaign of each signed link that has had a click (ADR 26). A signed link has no row in links, so the writer
-- keeps its code with the campaign its token names, and segments and click webhooks find a click's campaign by its
-- code, as for a stored link. Written once per code (INSERT OR IGNORE): a token's campaign never changes.
CREATE TABLE signed_links (
    code     TEXT PRIMARY KEY,
    campaign TEXT NOT NULL,
    first_at INTEGER NOT NULL -- Unix ms, like clicks.at
);
CREATE INDEX signed_links_campaign ON signed_links (campaign);
