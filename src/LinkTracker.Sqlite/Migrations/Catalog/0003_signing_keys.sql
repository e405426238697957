-- Tenants' link signing keys (ADR 26). secret is the Data Protection ciphertext of 32 random bytes; the newest key of
-- a tenant signs, every one of its keys verifies until deleted.
CREATE TABLE IF NOT EXISTS signing_keys (
    tenant     TEXT NOT NULL REFERENCES tenants (slug),
    id         TEXT NOT NULL,
    secret     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (tenant, id)
) WITHOUT ROWID;
