-- Fieldbook sync server, schema 4: cases shared with their assignees.

-- Who each case is assigned to, and the account it is on: the assignee sees the case and,
-- read-only, that account and its contacts (see `access::Shares`). Written by the service
-- when a pushed change sets or changes a case's assignee.
CREATE TABLE assignments (
    case_id    TEXT PRIMARY KEY,
    assignee   TEXT NOT NULL,
    account_id TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX assignments_assignee ON assignments (assignee);

-- The entries of one record, for a user who sees it through a share rather than its owner.
CREATE INDEX log_doc ON log (doc_id, seq) WHERE grantee IS NULL;
