-- The composition shortlist's patch descriptors (composition/shortlist.ts), stored with each
-- track's chroma. Rows of an earlier version have none and are recomputed by
-- `ledgerline attribution reindex`.
ALTER TABLE composition_features ADD COLUMN patches bytea;
