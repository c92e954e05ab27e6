-- Listing an organisation's uploads newest first, a page at a time (keyset on received_at, id).
CREATE INDEX uploads_received ON uploads (org_id, received_at, id);
