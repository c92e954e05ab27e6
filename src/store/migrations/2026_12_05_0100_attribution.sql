-- Attribution. The composition index: each catalog track's chroma (12 bytes per frame), kept
-- beside its fingerprint so a generated output can be aligned with the works it may follow.
-- Outputs a licensee submits, and every attribution of each, versioned: a re-run adds a version
-- and never rewrites an old one. Shares and unlicensed findings are rows as well, so a rights
-- holder finds every output that draws on a track without reading every attribution.

CREATE TABLE composition_features (
  track_id uuid PRIMARY KEY REFERENCES tracks(id) ON DELETE CASCADE,
  org_id uuid NOT NULL REFERENCES organisations(id),
  version integer NOT NULL,
  frames integer NOT NULL,
  frame_ms integer NOT NULL,
  chroma bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX composition_features_org ON composition_features (org_id);

CREATE TABLE outputs (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organisations(id),
  licensee_id uuid REFERENCES licensees(id),
  run_id uuid REFERENCES training_runs(id),
  title text NOT NULL,
  external_id text,
  content_hash text NOT NULL,
  duration_ms integer,
  status text NOT NULL CHECK (status IN ('queued', 'done', 'failed')),
  error text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outputs_org ON outputs (org_id, created_at);
CREATE UNIQUE INDEX outputs_external ON outputs (org_id, licensee_id, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE attributions (
  output_id uuid NOT NULL REFERENCES outputs(id),
  version integer NOT NULL,
  engine_version text NOT NULL,
  result jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (output_id, version)
);
CREATE TRIGGER attributions_append_only BEFORE UPDATE OR DELETE ON attributions
  FOR EACH ROW EXECUTE FUNCTION append_only();

-- No foreign key to tracks: like manifest entries, an attribution stays evidence of what was
-- found after a track leaves the catalog.
CREATE TABLE attribution_tracks (
  output_id uuid NOT NULL,
  version integer NOT NULL,
  track_id uuid NOT NULL,
  layer text NOT NULL CHECK (layer IN ('master', 'composition')),
  share_ppm integer NOT NULL CHECK (share_ppm >= 0 AND share_ppm <= 1000000),
  licensed boolean NOT NULL,
  PRIMARY KEY (output_id, version, track_id, layer),
  FOREIGN KEY (output_id, version) REFERENCES attributions(output_id, version)
);
CREATE INDEX attribution_tracks_track ON attribution_tracks (track_id);
CREATE TRIGGER attribution_tracks_append_only BEFORE UPDATE OR DELETE ON attribution_tracks
  FOR EACH ROW EXECUTE FUNCTION append_only();
