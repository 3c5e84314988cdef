-- Fieldbook sync server, schema 3: trust (issue 8). Append-only once shipped.

-- Per device, the highest log position a pull sent it. An owner move after it was not
-- known to the device: its writes to what its user owned before the move are accepted.
ALTER TABLE devices ADD COLUMN pulled INTEGER NOT NULL DEFAULT 0;

-- The owner moves of one record, in order.
CREATE INDEX log_doc_moves ON log (doc_id, seq) WHERE event = 'owner';

-- The changes each device pushed: a device that wrote to what moved away before it knew
-- (or made something under it) learns at its next pull to drop it.
CREATE INDEX log_device ON log (device_id, seq) WHERE device_id IS NOT NULL;

-- Refused changes are dealt with: applied (then in the log like any other change) or
-- discarded (the row stays, as the record of the decision). `cause` 'missing_deps': the
-- server lacked changes it depends on; it is retried when changes of its record arrive.
ALTER TABLE quarantine ADD COLUMN cause TEXT NOT NULL DEFAULT 'refused'
    CHECK (cause IN ('refused', 'missing_deps'));
ALTER TABLE quarantine ADD COLUMN state TEXT NOT NULL DEFAULT 'open'
    CHECK (state IN ('open', 'applied', 'discarded'));
ALTER TABLE quarantine ADD COLUMN decided_by TEXT;
ALTER TABLE quarantine ADD COLUMN decided_at TEXT;
CREATE INDEX quarantine_open_doc ON quarantine (doc_id) WHERE state = 'open';
CREATE INDEX quarantine_open_user ON quarantine (user) WHERE state = 'open';

-- What the server is: `log_id` names this log (a UUID). A restore from a backup gives the
-- log a new identity, so devices that synced with the old one notice and reconcile.
CREATE TABLE identity (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO identity (key, value) VALUES ('log_id',
    lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4'
    || substr(lower(hex(randomblob(2))), 2) || '-'
    || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2)
    || '-' || lower(hex(randomblob(6))));
