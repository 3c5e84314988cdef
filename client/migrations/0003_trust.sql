-- Schema 3: a store bound to its server, refusals the device was told, and records that
-- need attention.

-- A store that already signed in is bound to the server it signed in to (`meta` key
-- `bound_server`; the user is the store's own `user`, from `init`).
INSERT OR IGNORE INTO meta (key, value)
    SELECT 'bound_server', value FROM meta WHERE key = 'server_url';

-- Changes the server refused (kept in its quarantine), as it said at the push, until they
-- are dealt with: a row is removed when the server reports its quarantine item applied or
-- discarded (by `hash`, the key of the item there too). `status` shows them.
CREATE TABLE refused (
    hash       TEXT PRIMARY KEY,
    doc_id     TEXT NOT NULL,
    reason     TEXT NOT NULL,
    refused_at TEXT NOT NULL
) WITHOUT ROWID;

-- The rules across fields a record's merged state breaks (`fieldbook_core::rules`): a JSON
-- array of {rule, fields, message}, NULL when none. Written with the other projection rows;
-- filled for existing records when this migration runs.
ALTER TABLE records ADD COLUMN attention TEXT;
