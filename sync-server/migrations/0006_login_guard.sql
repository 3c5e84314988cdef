-- Fieldbook sync server, schema 6: failed sign-ins, lockouts and token expiry (issue #13).

-- A user's failed sign-ins since their last successful one (the growing delay before the
-- next attempt is worked out from `failed_logins` and `last_failed_login`), and when
-- signing in was locked after too many (NULL: not locked; an admin unlocks).
ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN last_failed_login TEXT;
ALTER TABLE users ADD COLUMN locked_at TEXT;

-- When a token stops working (RFC 3339; NULL: tokens issued before schema 6, or by a
-- server told not to expire them; the server's current lifetime counted from
-- `created_at` still applies to them).
ALTER TABLE tokens ADD COLUMN expires_at TEXT;
CREATE INDEX tokens_device ON tokens (device_id);
