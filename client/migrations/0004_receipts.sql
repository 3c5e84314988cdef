-- Schema 4: when the server received each change (issue 8), as it said: in a pulled
-- page (`received_at` of each change) or in the answer to this device's own push. History
-- shows it ("received by the server at"): what went through the server is evidence.
CREATE TABLE receipts (
    hash        TEXT PRIMARY KEY,
    received_at TEXT NOT NULL
) WITHOUT ROWID;
