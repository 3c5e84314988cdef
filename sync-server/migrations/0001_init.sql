-- Fieldbook sync server, schema 1. Append-only: never edit a shipped migration; add 0002_*.sql.

-- People. `team` names a team (which may not have a manager yet); `successor` took over
-- the records of a deactivated user.
CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('rep', 'manager', 'admin')),
    team          TEXT,
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    successor     TEXT REFERENCES users (name),
    created_at    TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX users_team ON users (team);

-- Teams and who manages them (a manager sees and edits what the members own).
CREATE TABLE teams (
    name       TEXT PRIMARY KEY,
    manager    TEXT NOT NULL REFERENCES users (name),
    created_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX teams_manager ON teams (manager);

-- One row per signed-in device: its last sync and the changes it held at its last contact.
CREATE TABLE devices (
    id         TEXT PRIMARY KEY,
    user       TEXT NOT NULL REFERENCES users (name),
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_sync  TEXT,
    pending    INTEGER NOT NULL DEFAULT 0,
    wiped      INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX devices_user ON devices (user);

-- Device tokens, by their SHA-256. `deactivated`: the user left; one handover remains.
CREATE TABLE tokens (
    hash       TEXT PRIMARY KEY,
    user       TEXT NOT NULL REFERENCES users (name),
    device_id  TEXT NOT NULL REFERENCES devices (id),
    created_at TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('active', 'revoked', 'deactivated'))
) WITHOUT ROWID;
CREATE INDEX tokens_user ON tokens (user, state);

-- Every record's Automerge document (a saved document followed by `chunks` appended
-- changes), its owner (server metadata; NULL for products), the account it belongs to,
-- and its projection (Record::to_json without `owner`) and open conflicts.
CREATE TABLE docs (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    owner       TEXT,
    account_id  TEXT,
    data        BLOB NOT NULL,
    chunks      INTEGER NOT NULL,
    record      TEXT NOT NULL,
    conflicts   INTEGER NOT NULL,
    updated_seq INTEGER NOT NULL
);
CREATE INDEX docs_owner ON docs (owner, id);
CREATE INDEX docs_account ON docs (account_id);

-- The append-only log devices pull from, gap-free by `seq`.
--   change: `bytes` (hash unique), `owner` = the record's owner when it was made;
--   owner:  a reassignment from `old_owner` to `owner`;
--   grant / revoke: the record became visible / invisible to `grantee` (scope change);
--                   `owner` is then the record's owner at that time.
CREATE TABLE log (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id    TEXT NOT NULL,
    event     TEXT NOT NULL CHECK (event IN ('change', 'owner', 'grant', 'revoke')),
    hash      TEXT UNIQUE,
    bytes     BLOB,
    owner     TEXT,
    old_owner TEXT,
    grantee   TEXT,
    at        TEXT NOT NULL
);
CREATE INDEX log_owner ON log (owner, seq) WHERE grantee IS NULL;
CREATE INDEX log_old_owner ON log (old_owner, seq) WHERE old_owner IS NOT NULL;
CREATE INDEX log_grantee ON log (grantee, seq) WHERE grantee IS NOT NULL;
CREATE INDEX log_grantee_doc ON log (grantee, doc_id, seq) WHERE grantee IS NOT NULL;

-- Refused changes, kept whole for review: never dropped.
CREATE TABLE quarantine (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    user      TEXT NOT NULL,
    device_id TEXT NOT NULL,
    doc_id    TEXT NOT NULL,
    kind      TEXT NOT NULL,
    hash      TEXT NOT NULL,
    reason    TEXT NOT NULL,
    bytes     BLOB NOT NULL
);
CREATE INDEX quarantine_user ON quarantine (user);
CREATE INDEX quarantine_hash ON quarantine (hash);
