-- People who sign in to the tenant's dashboard (ADR 16). password_hash is ASP.NET Core Identity's PasswordHasher
-- format; removed_at set = no access (the tenant's role may not DELETE, so removal is an UPDATE).
CREATE TABLE dashboard_users (
    email           text PRIMARY KEY,
    role            text NOT NULL CHECK (role IN ('viewer', 'editor')),
    password_hash   text NOT NULL,
    failed_sign_ins integer NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    last_sign_in_at timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    removed_at      timestamptz
);
