-- Schema 2: reports read one projection table without joining `records`.
-- Every projection row carries the record's `deleted` mark, and open deals by stage are
-- answered from a covering index.
ALTER TABLE p_account ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE p_contact ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE p_opportunity ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE p_quote ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE p_activity ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE p_task ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE p_product ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
UPDATE p_account SET deleted = (SELECT r.deleted FROM records r WHERE r.id = p_account.id);
UPDATE p_contact SET deleted = (SELECT r.deleted FROM records r WHERE r.id = p_contact.id);
UPDATE p_opportunity SET deleted = (SELECT r.deleted FROM records r WHERE r.id = p_opportunity.id);
UPDATE p_quote SET deleted = (SELECT r.deleted FROM records r WHERE r.id = p_quote.id);
UPDATE p_activity SET deleted = (SELECT r.deleted FROM records r WHERE r.id = p_activity.id);
UPDATE p_task SET deleted = (SELECT r.deleted FROM records r WHERE r.id = p_task.id);
UPDATE p_product SET deleted = (SELECT r.deleted FROM records r WHERE r.id = p_product.id);
CREATE INDEX p_opportunity_pipeline ON p_opportunity (deleted, stage, currency, amount, probability);

-- Index segments are merged by `Store::maintain` (at idle, and after command-line writes)
-- instead of inside whichever write happens to cross a threshold.
INSERT INTO search (search, rank) VALUES ('automerge', 0);
