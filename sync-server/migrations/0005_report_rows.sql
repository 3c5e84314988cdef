-- Fieldbook sync server, schema 5: the report projection (issue 10).

-- One row per live record of a kind the reports read (account, opportunity, activity,
-- lead, case): the fields the reports need, worked out from the record's projection when a
-- push stores its document (in the same transaction), and the record's owner (moved with
-- it). Filled for the records stored before this migration by the program right after it
-- (the same code as a push). Clustered by kind and owner: a report reads one kind of the
-- owners a user sees as ranges.
CREATE TABLE report_rows (
    kind           TEXT NOT NULL,
    owner          TEXT NOT NULL,
    id             TEXT NOT NULL,
    account_id     TEXT,
    created        TEXT NOT NULL,
    name           TEXT,
    stage          TEXT,
    amount         TEXT,
    currency       TEXT,
    probability    INTEGER,
    close_date     TEXT,
    activity_kind  TEXT,
    at             TEXT,
    opportunity_id TEXT,
    source         TEXT,
    status         TEXT,
    assignee       TEXT,
    priority       TEXT,
    due            TEXT,
    resolved       TEXT,
    PRIMARY KEY (kind, owner, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX report_rows_id ON report_rows (id);
-- Activity per week reads activities by owner, kind and day; "stale" the latest day per
-- account and deal: both from these alone.
CREATE INDEX report_rows_week ON report_rows (kind, owner, activity_kind, at);
CREATE INDEX report_rows_latest ON report_rows (kind, owner, account_id, opportunity_id, at);
