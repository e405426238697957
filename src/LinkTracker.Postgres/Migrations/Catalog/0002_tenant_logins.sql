-- Runs as the owner with search_path = catalog (ADR 12). Each tenant logs in with its own role; its password is
-- kept here encrypted with the nodes' Data Protection keys (never in plain text, never the SCRAM verifier).
CREATE TABLE tenant_logins (
    tenant      text PRIMARY KEY,
    password    text NOT NULL,
    rotated_at  timestamptz NOT NULL
);

-- The API path asks "which live key has this id and this hash?" and reads no stored hash: the runtime login
-- loses SELECT on api_keys.secret_hash and gets this function instead.
CREATE FUNCTION find_api_key(key_id text, key_hash bytea)
RETURNS TABLE (id text, tenant text, label text, created_at timestamptz, revoked_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT k.id, k.tenant, k.label, k.created_at, k.revoked_at
    FROM catalog.api_keys k
    WHERE k.id = key_id AND k.secret_hash = key_hash
$$;

REVOKE ALL ON FUNCTION find_api_key(text, bytea) FROM PUBLIC;
