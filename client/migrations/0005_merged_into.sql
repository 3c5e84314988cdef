-- Schema 5: a record merged into another (a duplicate account or contact), or a child that
-- moved with it (an opportunity, quote or activity created again under the kept account),
-- links to the record it continues as (`merged_into`, the schema's field; NULL otherwise).
ALTER TABLE p_account ADD COLUMN merged_into TEXT;
ALTER TABLE p_contact ADD COLUMN merged_into TEXT;
ALTER TABLE p_opportunity ADD COLUMN merged_into TEXT;
ALTER TABLE p_quote ADD COLUMN merged_into TEXT;
ALTER TABLE p_activity ADD COLUMN merged_into TEXT;
