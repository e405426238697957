-- Runs as the owner with search_path = catalog. Key ids become opaque: keys of earlier releases had the first 16
-- hex characters of their token as id; they get a random one, and every key is found by its secret's hash alone.
UPDATE api_keys SET id = 'key_' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 16);
CREATE UNIQUE INDEX api_keys_secret_hash ON api_keys (secret_hash);

DROP FUNCTION find_api_key(text, bytea);

-- The API path asks "which key has this hash?" and reads no stored hash (ADR 12).
CREATE FUNCTION find_api_key(key_hash bytea)
RETURNS TABLE (id text, tenant text, label text, created_at timestamptz, revoked_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT k.id, k.tenant, k.label, k.created_at, k.revoked_at
    FROM catalog.api_keys k
    WHERE k.secret_hash = key_hash
$$;

REVOKE ALL ON FUNCTION find_api_key(bytea) FROM PUBLIC;
