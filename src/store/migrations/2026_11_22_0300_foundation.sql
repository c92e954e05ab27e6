-- Foundation: organisations, API keys, catalog, splits, audit log, jobs.

CREATE TABLE organisations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id text PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organisations(id),
  role text NOT NULL CHECK (role IN ('operator', 'reviewer', 'rights_holder', 'artist', 'licensee')),
  name text NOT NULL,
  subject_id uuid,
  secret_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX api_keys_org ON api_keys (org_id);

CREATE TABLE artists (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
  verified boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX artists_org ON artists (org_id, created_at, id);

CREATE TABLE rights_holders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
  kind text NOT NULL CHECK (kind IN ('label', 'publisher', 'artist', 'songwriter', 'other')),
  ipi text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rights_holders_org ON rights_holders (org_id, created_at, id);

CREATE TABLE releases (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 1000),
  artist_id uuid REFERENCES artists(id),
  icpn text,
  grid text,
  release_date date,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX releases_org ON releases (org_id, created_at, id);

CREATE TABLE tracks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 1000),
  artist_id uuid REFERENCES artists(id),
  release_id uuid REFERENCES releases(id),
  isrc text CHECK (isrc ~ '^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$'),
  iswc text CHECK (iswc ~ '^T[0-9]{10}$'),
  duration_ms integer CHECK (duration_ms >= 0),
  content_hash text CHECK (content_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT tracks_org_isrc UNIQUE (org_id, isrc)
);
CREATE INDEX tracks_org ON tracks (org_id, created_at, id);

-- One row per rights holder per split; the application checks the sum, and a deferred
-- constraint trigger checks it again at commit so no path can leave a split incomplete.
CREATE TABLE splits (
  track_id uuid NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('master', 'publishing')),
  rights_holder_id uuid NOT NULL REFERENCES rights_holders(id),
  role text,
  share_ppm integer NOT NULL CHECK (share_ppm > 0 AND share_ppm <= 1000000),
  PRIMARY KEY (track_id, kind, rights_holder_id)
);

CREATE FUNCTION splits_sum_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  t uuid := COALESCE(NEW.track_id, OLD.track_id);
  k text := COALESCE(NEW.kind, OLD.kind);
  total bigint;
BEGIN
  SELECT sum(share_ppm) INTO total FROM splits WHERE track_id = t AND kind = k;
  IF total IS NOT NULL AND total <> 1000000 THEN
    RAISE EXCEPTION 'split % of track % sums to % ppm, not 1000000', k, t, total USING ERRCODE = '23514';
  END IF;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER splits_sum AFTER INSERT OR UPDATE OR DELETE ON splits
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION splits_sum_check();

CREATE TABLE audit_log (
  seq bigint PRIMARY KEY,
  at timestamptz NOT NULL,
  org_id uuid,
  actor text NOT NULL,
  action text NOT NULL,
  subject text,
  data jsonb NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX audit_log_org ON audit_log (org_id, seq);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = '42501';
END $$;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- The embedded job queue. A running job holds a lease; a lease that runs out (its process
-- died) puts the job back in the queue.
CREATE TABLE jobs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  payload jsonb NOT NULL,
  idempotency_key text NOT NULL UNIQUE,
  state text NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL,
  backoff_ms integer NOT NULL,
  run_at timestamptz NOT NULL DEFAULT now(),
  locked_by text,
  locked_until timestamptz,
  last_error text,
  result jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE state = 'queued';
CREATE INDEX jobs_leases ON jobs (locked_until) WHERE state = 'running';

-- Effects applied by jobs, one row per idempotency key: whichever queue ran the job and
-- however often it was delivered, its effect commits once.
CREATE TABLE job_effects (
  idempotency_key text PRIMARY KEY,
  job_name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
