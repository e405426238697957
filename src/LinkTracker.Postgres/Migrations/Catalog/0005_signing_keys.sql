-- Runs as the owner with search_path = catalog. Tenants' link signing keys (ADR 26). secret is the Data Protection
-- ciphertext of 32 random bytes; the newest key of a tenant signs, every one of its keys verifies until deleted.
CREATE TABLE IF NOT EXISTS signing_keys (
    tenant     text NOT NULL REFERENCES tenants (slug),
    id         text NOT NULL,
    secret     text NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant, id)
);
