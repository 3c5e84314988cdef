-- Fieldbook sync server on PostgreSQL, schema 1: the SQLite schema 6 in PostgreSQL's
-- types (ids are uuid, bytes bytea, flags boolean, numbers bigint; text compared
-- byte-wise with COLLATE "C", as SQLite does). Append-only: never edit a shipped
-- migration; add 0002_*.sql. `user` is a reserved word here: those columns are `user_name`.

CREATE TABLE users (
    name              TEXT COLLATE "C" PRIMARY KEY,
    role              TEXT NOT NULL CHECK (role IN ('rep', 'manager', 'admin')),
    team              TEXT COLLATE "C",
    password_hash     TEXT NOT NULL,
    active            BOOLEAN NOT NULL DEFAULT TRUE,
    successor         TEXT COLLATE "C" REFERENCES users (name),
    created_at        TEXT NOT NULL,
    -- Failed sign-ins since the last good one, the last of them, and the lock (NULL: none).
    failed_logins     BIGINT NOT NULL DEFAULT 0,
    last_failed_login TEXT,
    locked_at         TEXT
);
CREATE INDEX users_team ON users (team);

CREATE TABLE teams (
    name       TEXT COLLATE "C" PRIMARY KEY,
    manager    TEXT COLLATE "C" NOT NULL REFERENCES users (name),
    created_at TEXT NOT NULL
);
CREATE INDEX teams_manager ON teams (manager);

-- One row per signed-in device: its last sync, what it held at its last contact, and the
-- highest log position a pull sent it.
CREATE TABLE devices (
    id         UUID PRIMARY KEY,
    user_name  TEXT COLLATE "C" NOT NULL REFERENCES users (name),
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_sync  TEXT,
    pending    BIGINT NOT NULL DEFAULT 0,
    wiped      BOOLEAN NOT NULL DEFAULT FALSE,
    pulled     BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX devices_user ON devices (user_name);

-- Device tokens, by their SHA-256.
CREATE TABLE tokens (
    hash       TEXT COLLATE "C" PRIMARY KEY,
    user_name  TEXT COLLATE "C" NOT NULL REFERENCES users (name),
    device_id  UUID NOT NULL REFERENCES devices (id),
    created_at TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('active', 'revoked', 'deactivated')),
    expires_at TEXT
);
CREATE INDEX tokens_user ON tokens (user_name, state);
CREATE INDEX tokens_device ON tokens (device_id);

-- Every record's Automerge document (saved whole), its owner (NULL for products), the
-- account it belongs to, and its projection (Record::to_json without `owner`).
CREATE TABLE docs (
    id         UUID PRIMARY KEY,
    kind       TEXT NOT NULL,
    owner      TEXT COLLATE "C",
    account_id UUID,
    data       BYTEA NOT NULL,
    record     TEXT NOT NULL,
    conflicts  BIGINT NOT NULL
);
CREATE INDEX docs_owner ON docs (owner, id);
CREATE INDEX docs_account ON docs (account_id);
CREATE INDEX docs_kind ON docs (kind, id);

-- The append-only log devices pull from. `seq` is gap-free and in commit order: it is
-- handed out by the program under the log's lock (docs/postgres.md), never by a sequence
-- (a sequence's numbers are taken before commit, out of commit order, and lost on rollback).
CREATE TABLE log (
    seq       BIGINT PRIMARY KEY,
    doc_id    UUID NOT NULL,
    event     TEXT NOT NULL CHECK (event IN ('change', 'owner', 'grant', 'revoke')),
    hash      TEXT COLLATE "C" UNIQUE,
    bytes     BYTEA,
    owner     TEXT COLLATE "C",
    old_owner TEXT COLLATE "C",
    grantee   TEXT COLLATE "C",
    at        TEXT NOT NULL,
    device_id UUID
);
CREATE INDEX log_owner ON log (owner, seq) WHERE grantee IS NULL;
CREATE INDEX log_old_owner ON log (old_owner, seq) WHERE old_owner IS NOT NULL;
CREATE INDEX log_grantee ON log (grantee, seq) WHERE grantee IS NOT NULL;
CREATE INDEX log_grantee_doc ON log (grantee, doc_id, seq) WHERE grantee IS NOT NULL;
CREATE INDEX log_doc_moves ON log (doc_id, seq) WHERE event = 'owner';
CREATE INDEX log_device ON log (device_id, seq) WHERE device_id IS NOT NULL;
CREATE INDEX log_doc ON log (doc_id, seq) WHERE grantee IS NULL;

-- Refused changes, kept whole for review: never dropped.
CREATE TABLE quarantine (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         TEXT NOT NULL,
    user_name  TEXT COLLATE "C" NOT NULL,
    device_id  UUID NOT NULL,
    doc_id     UUID NOT NULL,
    kind       TEXT NOT NULL,
    hash       TEXT COLLATE "C" NOT NULL,
    reason     TEXT NOT NULL,
    bytes      BYTEA NOT NULL,
    cause      TEXT NOT NULL DEFAULT 'refused' CHECK (cause IN ('refused', 'missing_deps')),
    state      TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'applied', 'discarded')),
    decided_by TEXT,
    decided_at TEXT
);
CREATE INDEX quarantine_user ON quarantine (user_name);
CREATE INDEX quarantine_hash ON quarantine (hash);
CREATE INDEX quarantine_open_doc ON quarantine (doc_id) WHERE state = 'open';
CREATE INDEX quarantine_open_user ON quarantine (user_name) WHERE state = 'open';

-- What the server is: `log_id` names this log.
CREATE TABLE identity (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO identity (key, value) VALUES ('log_id', gen_random_uuid()::text);

-- Who each case is assigned to, and the account it is on.
CREATE TABLE assignments (
    case_id    UUID PRIMARY KEY,
    assignee   TEXT COLLATE "C" NOT NULL,
    account_id UUID NOT NULL
);
CREATE INDEX assignments_assignee ON assignments (assignee);

-- The report projection: one row per live record of a kind the reports read.
CREATE TABLE report_rows (
    kind           TEXT NOT NULL,
    owner          TEXT COLLATE "C" NOT NULL,
    id             UUID NOT NULL,
    account_id     UUID,
    created        TEXT NOT NULL,
    name           TEXT,
    stage          TEXT,
    amount         TEXT,
    currency       TEXT,
    probability    BIGINT,
    close_date     TEXT,
    activity_kind  TEXT,
    at             TEXT,
    opportunity_id UUID,
    source         TEXT,
    status         TEXT,
    assignee       TEXT,
    priority       TEXT,
    due            TEXT,
    resolved       TEXT,
    PRIMARY KEY (kind, owner, id)
);
CREATE UNIQUE INDEX report_rows_id ON report_rows (id);
CREATE INDEX report_rows_week ON report_rows (kind, owner, activity_kind, at);
CREATE INDEX report_rows_latest ON report_rows (kind, owner, account_id, opportunity_id, at);
