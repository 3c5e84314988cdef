-- Fieldbook device store, schema 1. Append-only: never edit a shipped migration; add 0002_*.sql.

-- Settings of this store: store_id, user, actor (hex), default_currency, device_code, quote_seq.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- The source of truth: one Automerge document per record. `data` is a saved document
-- followed by `chunks` appended change chunks; it is re-saved (compacted) now and then.
CREATE TABLE docs (
    id     TEXT PRIMARY KEY,
    kind   TEXT NOT NULL,
    data   BLOB NOT NULL,
    chunks INTEGER NOT NULL DEFAULT 0
);

-- Changes made here (or absorbed) that the server has not acknowledged yet, oldest first.
CREATE TABLE outbox (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL,
    change BLOB NOT NULL
);

-- Every record, whatever its kind: what lists, references and access need.
-- `rid` is also the rowid of the record's row in the `search` index.
CREATE TABLE records (
    rid        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL DEFAULT '',
    account_id TEXT,
    owner      TEXT NOT NULL,
    deleted    INTEGER NOT NULL DEFAULT 0,
    conflicts  INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX records_kind_updated ON records (kind, deleted, updated_at);
CREATE INDEX records_account ON records (account_id);
CREATE INDEX records_owner ON records (owner);

-- Projections: one table per kind, one column per field (named as in the schema), written
-- in the same transaction as the document. Decimals are exact decimal strings.
CREATE TABLE p_account (
    id TEXT PRIMARY KEY REFERENCES records (id),
    name TEXT, industry TEXT, phone TEXT, email TEXT, website TEXT, address TEXT,
    city TEXT, country TEXT, tags TEXT, notes TEXT, parent_id TEXT
);
CREATE INDEX p_account_name ON p_account (name);

CREATE TABLE p_contact (
    id TEXT PRIMARY KEY REFERENCES records (id),
    account_id TEXT, name TEXT, title TEXT, email TEXT, phone TEXT, role TEXT
);
CREATE INDEX p_contact_account ON p_contact (account_id);

-- `probability` holds the effective probability (as set, or following the stage).
CREATE TABLE p_opportunity (
    id TEXT PRIMARY KEY REFERENCES records (id),
    account_id TEXT, name TEXT, stage TEXT, amount TEXT, currency TEXT, close_date TEXT,
    probability INTEGER, next_step TEXT, loss_reason TEXT
);
CREATE INDEX p_opportunity_stage ON p_opportunity (stage, close_date);
CREATE INDEX p_opportunity_account ON p_opportunity (account_id);

-- `lines` is the JSON array of lines with their totals; subtotal/tax/total are computed.
CREATE TABLE p_quote (
    id TEXT PRIMARY KEY REFERENCES records (id),
    opportunity_id TEXT, number TEXT, currency TEXT, valid_until TEXT, status TEXT,
    tax_pct TEXT, lines TEXT, subtotal TEXT, tax TEXT, total TEXT
);
CREATE INDEX p_quote_opportunity ON p_quote (opportunity_id);
CREATE INDEX p_quote_number ON p_quote (number);

CREATE TABLE p_activity (
    id TEXT PRIMARY KEY REFERENCES records (id),
    account_id TEXT, kind TEXT, subject TEXT, body TEXT, at TEXT, contact_id TEXT,
    opportunity_id TEXT, lat REAL, lon REAL
);
CREATE INDEX p_activity_account ON p_activity (account_id, at);

CREATE TABLE p_task (
    id TEXT PRIMARY KEY REFERENCES records (id),
    title TEXT, due TEXT, account_id TEXT, opportunity_id TEXT, done INTEGER, assignee TEXT
);
CREATE INDEX p_task_due ON p_task (done, due);

CREATE TABLE p_product (
    id TEXT PRIMARY KEY REFERENCES records (id),
    sku TEXT, name TEXT, unit_price TEXT, currency TEXT
);
CREATE INDEX p_product_sku ON p_product (sku);

-- Full-text search; rowid = records.rid. Text is indexed as written by `store::fts`
-- (CJK as overlapping bigrams). Rank with bm25(search, 10.0, 1.0): title weighs more.
CREATE VIRTUAL TABLE search USING fts5 (
    title, body,
    tokenize = "unicode61 remove_diacritics 2",
    prefix = '2 3'
);
