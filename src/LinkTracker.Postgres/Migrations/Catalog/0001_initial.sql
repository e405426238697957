-- Runs as the owner with search_path = catalog; the runtime login gets SELECT, INSERT, UPDATE afterwards.
CREATE TABLE tenants (
    slug        text PRIMARY KEY,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL
);

CREATE TABLE api_keys (
    id          text PRIMARY KEY,
    tenant      text NOT NULL REFERENCES tenants (slug),
    secret_hash bytea NOT NULL,
    label       text,
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);

CREATE INDEX api_keys_tenant ON api_keys (tenant, created_at);
