-- Consent, licensing and training manifests, and what DDEX messages say about a recording.

-- DDEX details of releases and recordings, AI disclosure (ERN 4.3.2 ContainsAI) included.
ALTER TABLE tracks
  ADD COLUMN genre text,
  ADD COLUMN p_line text,
  ADD COLUMN contains_ai text CHECK (contains_ai IN ('All', 'Partly', 'None')),
  ADD COLUMN contributors jsonb NOT NULL DEFAULT '[]';
ALTER TABLE releases
  ADD COLUMN genre text,
  ADD COLUMN label text,
  ADD COLUMN p_line text,
  ADD COLUMN contains_ai text CHECK (contains_ai IN ('All', 'Partly', 'None'));

-- A generic guard for tables whose rows are evidence: they are only ever appended to.
CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = '42501';
END $$;

CREATE TABLE licensees (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  slug text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT licensees_org_slug UNIQUE (org_id, slug)
);

-- Every consent change is a new version; nothing is overwritten. The rule in force for a scope
-- and use at instant T is the version with the latest effective_at <= T (ties: the higher
-- version). state NULL withdraws the scope's rule so the next level up decides.
CREATE TABLE consent_rules (
  version bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organisations(id),
  level text NOT NULL CHECK (level IN ('rights_holder', 'artist', 'release', 'track')),
  scope_id uuid NOT NULL,
  use text NOT NULL CHECK (use IN ('ai_training', 'generative_training', 'inference', 'data_mining', 'voice_clone', 'style_imitation')),
  state text CHECK (state IN ('allowed', 'notAllowed', 'constrained')),
  terms jsonb NOT NULL DEFAULT '[]',
  effective_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL,
  author text NOT NULL,
  author_role text NOT NULL,
  author_subject uuid,
  note text
);
CREATE INDEX consent_rules_scope ON consent_rules (org_id, scope_id, use, effective_at);
CREATE TRIGGER consent_rules_append_only BEFORE UPDATE OR DELETE ON consent_rules
  FOR EACH ROW EXECUTE FUNCTION append_only();

-- Reservations and permissions read from partners' TDMRep and ai.txt files. Appended, never
-- replaced: a later file that no longer mentions a track does not lift its reservation. Like
-- manifest entries, they outlive a track removed from the catalog (no foreign key): evidence.
CREATE TABLE consent_signals (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organisations(id),
  track_id uuid NOT NULL,
  use text NOT NULL,
  reserved boolean NOT NULL,
  format text NOT NULL CHECK (format IN ('tdmrep', 'ai.txt')),
  source text NOT NULL,
  rule text NOT NULL,
  policy text,
  observed_at timestamptz NOT NULL
);
CREATE INDEX consent_signals_track ON consent_signals (org_id, track_id, use);
CREATE TRIGGER consent_signals_append_only BEFORE UPDATE OR DELETE ON consent_signals
  FOR EACH ROW EXECUTE FUNCTION append_only();

CREATE TABLE licenses (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  licensee_id uuid NOT NULL REFERENCES licensees(id),
  uses jsonb NOT NULL,
  territories jsonb NOT NULL,
  purpose text CHECK (purpose IN ('research', 'commercial')),
  valid_from timestamptz NOT NULL,
  valid_until timestamptz,
  fee jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_until IS NULL OR valid_until > valid_from)
);
CREATE INDEX licenses_org ON licenses (org_id, licensee_id);

-- The server's Ed25519 signing keys; the newest signs, older ones still verify.
CREATE TABLE signing_keys (
  id text PRIMARY KEY,
  public_key text NOT NULL,
  private_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE manifests (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organisations(id),
  license_id uuid NOT NULL REFERENCES licenses(id),
  licensee_id uuid NOT NULL REFERENCES licensees(id),
  header jsonb NOT NULL,
  root text NOT NULL,
  key_id text NOT NULL REFERENCES signing_keys(id),
  signature text NOT NULL,
  issued_at timestamptz NOT NULL
);
CREATE INDEX manifests_licensee ON manifests (org_id, licensee_id, issued_at);
CREATE TRIGGER manifests_append_only BEFORE UPDATE OR DELETE ON manifests
  FOR EACH ROW EXECUTE FUNCTION append_only();

CREATE TABLE manifest_entries (
  manifest_id uuid NOT NULL REFERENCES manifests(id),
  position integer NOT NULL,
  track_id uuid NOT NULL,
  isrc text NOT NULL,
  content_hash text NOT NULL,
  duration_ms integer,
  consent_version bigint NOT NULL,
  PRIMARY KEY (manifest_id, position)
);
CREATE INDEX manifest_entries_track ON manifest_entries (track_id);
CREATE TRIGGER manifest_entries_append_only BEFORE UPDATE OR DELETE ON manifest_entries
  FOR EACH ROW EXECUTE FUNCTION append_only();

CREATE TABLE training_runs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  manifest_id uuid NOT NULL REFERENCES manifests(id),
  model_name text NOT NULL CHECK (length(model_name) BETWEEN 1 AND 200),
  model_version text NOT NULL CHECK (length(model_version) BETWEEN 1 AND 100),
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  registered_at timestamptz NOT NULL,
  CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX training_runs_manifest ON training_runs (manifest_id);

-- One notice per manifest and track whose consent was withdrawn after the manifest was issued.
CREATE TABLE revocation_notices (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organisations(id),
  licensee_id uuid NOT NULL REFERENCES licensees(id),
  manifest_id uuid NOT NULL REFERENCES manifests(id),
  track_id uuid NOT NULL,
  isrc text NOT NULL,
  use text NOT NULL,
  consent_version bigint NOT NULL,
  effective_at timestamptz NOT NULL,
  reason text NOT NULL,
  created_at timestamptz NOT NULL,
  CONSTRAINT revocation_once UNIQUE (manifest_id, track_id)
);
CREATE INDEX revocation_notices_licensee ON revocation_notices (org_id, licensee_id, id);

-- Deals from DDEX messages: where, when and how a release may be used. Replaced as a whole on
-- each import of the release.
CREATE TABLE release_deals (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organisations(id),
  release_id uuid NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
  territories jsonb NOT NULL,
  excluded_territories jsonb NOT NULL DEFAULT '[]',
  valid_from date,
  valid_until date,
  use_types jsonb NOT NULL DEFAULT '[]',
  commercial_models jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX release_deals_release ON release_deals (release_id);
