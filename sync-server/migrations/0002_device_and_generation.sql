-- Fieldbook sync server, schema 2.

-- The device that pushed a change (NULL for changes stored before schema 2): a pull does
-- not send a device its own changes back, only their record's owner.
ALTER TABLE log ADD COLUMN device_id TEXT;

-- Counters kept with the data. `scope_generation` grows with every administrative write
-- (users, teams, reassignments, departures): a push prepared on an older snapshot is then
-- redone on the writer, with the scope as it is now.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('scope_generation', 0);
