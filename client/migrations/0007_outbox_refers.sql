-- Schema 7 (issue #15): the outbox keeps a change once, and knows its length without
-- counting its rows.
--
-- A change made here was stored twice until the server acknowledged it: in its record's
-- document (`docs.data`: a saved document followed by appended change chunks) and in the
-- outbox. An outbox row now refers to the chunk in `docs.data` instead (`doc_at`: the
-- 0-based offset of its bytes there, `doc_len`: their length) and keeps its own copy in
-- `change` only when the change is not stored as a chunk (a document saved whole, a
-- reconcile's re-queued changes). Before a document's `data` is re-saved (compacted), the
-- rows referring to it take their bytes back, in the same transaction (`StoredDoc::append`).

CREATE TABLE outbox_7 (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id  TEXT NOT NULL,
    change  BLOB,
    doc_at  INTEGER,
    doc_len INTEGER,
    CHECK ((change IS NULL) = (doc_at IS NOT NULL) AND (doc_at IS NULL) = (doc_len IS NULL))
);

-- Rows whose bytes are found in their document's stored bytes refer to them there (the
-- bytes at that place are the change's, whatever put them there).
INSERT INTO outbox_7 (seq, doc_id, change, doc_at, doc_len)
SELECT seq, doc_id,
       CASE WHEN at > 0 THEN NULL ELSE change END,
       CASE WHEN at > 0 THEN at - 1 END,
       CASE WHEN at > 0 THEN length(change) END
FROM (
    SELECT o.seq, o.doc_id, o.change, coalesce(instr(d.data, o.change), 0) AS at
    FROM outbox o LEFT JOIN docs d ON d.id = o.doc_id
)
ORDER BY seq;

-- Queue positions are never reused: the new table continues where the old one stood.
DELETE FROM sqlite_sequence WHERE name = 'outbox_7';
INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox_7', seq FROM sqlite_sequence WHERE name = 'outbox';
DROP TABLE outbox;
ALTER TABLE outbox_7 RENAME TO outbox;

-- A record's queued changes (compaction and `forget` look them up).
CREATE INDEX outbox_doc ON outbox (doc_id);

-- Counts kept as rows change, in the same transaction, so that nothing counts a million
-- rows to show a number: `outbox`, the changes waiting (the status line, the app's sync
-- badge), kept by the triggers below; `live:KIND`, the live records of a kind (the book's
-- counts), kept by the store's projection writes (`Tx` adds them up and writes them at
-- commit: a trigger on `records` would give every insert a statement journal, at which
-- FTS5 writes its pending rows out as a segment).
CREATE TABLE tallies (
    name TEXT PRIMARY KEY,
    n    INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO tallies (name, n) SELECT 'outbox', count(*) FROM outbox;
INSERT INTO tallies (name, n)
    SELECT 'live:' || kind, count(*) FROM records WHERE deleted = 0 GROUP BY kind;
CREATE TRIGGER outbox_tally_in AFTER INSERT ON outbox
BEGIN
    UPDATE tallies SET n = n + 1 WHERE name = 'outbox';
END;
CREATE TRIGGER outbox_tally_out AFTER DELETE ON outbox
BEGIN
    UPDATE tallies SET n = n - 1 WHERE name = 'outbox';
END;
