-- Same-audio screening looks at every uploader's recent uploads of an organisation, newest first.
CREATE INDEX upload_fingerprints_received ON upload_fingerprints (org_id, received_at);
