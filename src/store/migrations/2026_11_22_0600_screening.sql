-- Upload screening: uploads as received, every screening decision (append-only, with its
-- policy version and signals), the review queue and its actions, and which uploader accounts
-- are verified for which artists.

CREATE TABLE uploads (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organisations(id),
  uploader text NOT NULL CHECK (length(uploader) BETWEEN 1 AND 200),
  -- The sender's own id for the upload: the same key twice is the same upload.
  client_key text CHECK (length(client_key) BETWEEN 1 AND 200),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 1000),
  artist text CHECK (length(artist) BETWEEN 1 AND 500),
  metadata jsonb NOT NULL,
  content_hash text NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
  bytes bigint NOT NULL,
  status text NOT NULL CHECK (status IN ('queued', 'decided', 'failed')),
  decision text,
  error text,
  webhook_url text,
  webhook_state text CHECK (webhook_state IN ('pending', 'delivered', 'failed')),
  webhook_attempts integer NOT NULL DEFAULT 0,
  received_at timestamptz NOT NULL,
  decided_at timestamptz,
  CONSTRAINT uploads_client_key UNIQUE (org_id, uploader, client_key)
);
CREATE INDEX uploads_uploader ON uploads (org_id, uploader, received_at);
CREATE INDEX uploads_content ON uploads (org_id, content_hash);

CREATE TABLE screening_decisions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organisations(id),
  upload_id uuid NOT NULL REFERENCES uploads(id),
  -- 1 for the first screening, then one more for each re-screen or review decision.
  round integer NOT NULL,
  source text NOT NULL CHECK (source IN ('screening', 'review')),
  decision text NOT NULL CHECK (decision IN ('accept', 'label', 'suppress_recommendations', 'hold_for_review', 'reject')),
  policy_version text NOT NULL,
  signals jsonb NOT NULL,
  applied jsonb NOT NULL,
  facts jsonb NOT NULL,
  actor text NOT NULL,
  reason text,
  decided_at timestamptz NOT NULL,
  CONSTRAINT screening_once UNIQUE (upload_id, round)
);
CREATE INDEX screening_decisions_upload ON screening_decisions (upload_id, round);
CREATE TRIGGER screening_decisions_append_only BEFORE UPDATE OR DELETE ON screening_decisions
  FOR EACH ROW EXECUTE FUNCTION append_only();

-- The review queue: one row per upload held for a person (or appealed), with who holds it.
CREATE TABLE review_items (
  upload_id uuid PRIMARY KEY REFERENCES uploads(id),
  org_id uuid NOT NULL REFERENCES organisations(id),
  state text NOT NULL CHECK (state IN ('open', 'claimed', 'decided')),
  reason text NOT NULL,
  claimed_by text,
  claimed_at timestamptz,
  opened_at timestamptz NOT NULL,
  closed_at timestamptz
);
CREATE INDEX review_items_open ON review_items (org_id, state, opened_at);

CREATE TABLE verified_uploaders (
  org_id uuid NOT NULL REFERENCES organisations(id),
  uploader text NOT NULL,
  artist_id uuid NOT NULL REFERENCES artists(id) ON DELETE CASCADE,
  verified_at timestamptz NOT NULL,
  PRIMARY KEY (org_id, uploader, artist_id)
);

-- Each screened upload's fingerprint, packed (keys, times, frequencies, spans), so the next
-- upload of the same uploader can be matched against the earlier ones: the same audio under
-- another title, re-encoded or not.
CREATE TABLE upload_fingerprints (
  upload_id uuid PRIMARY KEY REFERENCES uploads(id),
  org_id uuid NOT NULL REFERENCES organisations(id),
  uploader text NOT NULL,
  received_at timestamptz NOT NULL,
  packed bytea NOT NULL
);
CREATE INDEX upload_fingerprints_uploader ON upload_fingerprints (org_id, uploader, received_at);

-- What a DDEX message said about recordings still to be delivered: an upload naming the ISRC
-- takes its title, artist and AI disclosure from here, and may not contradict them.
CREATE TABLE upload_announcements (
  org_id uuid NOT NULL REFERENCES organisations(id),
  isrc text NOT NULL,
  message_id text NOT NULL,
  title text NOT NULL,
  artist text,
  contains_ai text,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (org_id, isrc)
);
