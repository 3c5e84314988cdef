-- Schema 6: leads, service cases, a user's dismissed reminders; renewals on opportunities
-- and a renewal lead time per account. Columns appended to existing projections come
-- after `deleted` (SQLite appends); the projection code writes every column by name.

CREATE TABLE p_lead (
    id TEXT PRIMARY KEY REFERENCES records (id),
    name TEXT, company TEXT, title TEXT, phone TEXT, email TEXT, source TEXT, status TEXT,
    disqualify_reason TEXT, notes TEXT, account_id TEXT, contact_id TEXT,
    opportunity_id TEXT, converted_at TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX p_lead_status ON p_lead (deleted, status);
CREATE INDEX p_lead_account ON p_lead (account_id);

CREATE TABLE p_case (
    id TEXT PRIMARY KEY REFERENCES records (id),
    account_id TEXT, contact_id TEXT, subject TEXT, description TEXT, priority TEXT,
    status TEXT, assignee TEXT, due TEXT, resolution TEXT, resolved_at TEXT, merged_into TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX p_case_open ON p_case (deleted, status, due);
CREATE INDEX p_case_account ON p_case (account_id);
CREATE INDEX p_case_assignee ON p_case (assignee);

CREATE TABLE p_dismissal (
    id TEXT PRIMARY KEY REFERENCES records (id),
    key TEXT, until TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX p_dismissal_key ON p_dismissal (key);

-- Reminders read only the few rows they need: deals with a renewal date, renewals, and
-- accounts with their own lead time (partial indexes: nothing for the other rows).
ALTER TABLE p_opportunity ADD COLUMN renewal_date TEXT;
ALTER TABLE p_opportunity ADD COLUMN renews_id TEXT;
CREATE INDEX p_opportunity_renewal ON p_opportunity (renewal_date) WHERE renewal_date IS NOT NULL;
CREATE INDEX p_opportunity_renews ON p_opportunity (renews_id) WHERE renews_id IS NOT NULL;
ALTER TABLE p_account ADD COLUMN renewal_days INTEGER;
CREATE INDEX p_account_renewal_days ON p_account (renewal_days) WHERE renewal_days IS NOT NULL;
