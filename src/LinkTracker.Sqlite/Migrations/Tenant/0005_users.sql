-- People who sign in to the tenant's dashboard (ADR 16). password_hash is ASP.NET Core Identity's PasswordHasher
-- format; removed_at set = no access (the row stays so the PostgreSQL twin needs no DELETE right).
CREATE TABLE dashboard_users (
    email           TEXT PRIMARY KEY,
    role            TEXT NOT NULL CHECK (role IN ('viewer', 'editor')),
    password_hash   TEXT NOT NULL,
    failed_sign_ins INTEGER NOT NULL DEFAULT 0,
    locked_until    INTEGER,
    last_sign_in_at INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    removed_at      INTEGER
) WITHOUT ROWID;
