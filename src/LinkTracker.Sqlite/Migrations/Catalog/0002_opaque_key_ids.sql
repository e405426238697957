-- Key ids become opaque: keys of earlier releases had the first 16 hex characters of their token as id; they get
-- a random one, and every key is found by its secret's hash (unique; a 256-bit secret never repeats).
UPDATE api_keys SET id = 'key_' || lower(hex(randomblob(8)));
CREATE UNIQUE INDEX api_keys_secret_hash ON api_keys (secret_hash);
