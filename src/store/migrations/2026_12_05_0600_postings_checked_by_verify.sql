-- A posting's entry is checked by `ledger verify` (orphan postings), not by a foreign key: the
-- key cost a lookup per posting on the ledger's hottest write, and postings are only ever
-- written with their entry, in the same transaction, by one function (royalties-repo post);
-- entries cannot be deleted (append-only trigger), so no posting can lose its entry later.
ALTER TABLE ledger_postings DROP CONSTRAINT ledger_postings_entry_id_fkey;
