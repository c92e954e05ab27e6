-- Stream events with listeners' and clients' identifiers as keyed pseudonyms only (privacy/), the
-- findings of artificial-streaming scans and the streams they flag, daily per-track aggregates
-- that outlive the raw events, and listeners' consents by purpose.

CREATE TABLE stream_events (
  org_id uuid NOT NULL REFERENCES organisations(id),
  event_id text NOT NULL,
  listener text NOT NULL,
  client text,
  epoch integer NOT NULL,
  isrc text NOT NULL,
  track_id uuid,
  started_at timestamptz NOT NULL,
  ms_played integer NOT NULL,
  country text,
  service text NOT NULL,
  context text,
  PRIMARY KEY (org_id, event_id)
);
CREATE INDEX stream_events_time ON stream_events (org_id, started_at);
-- No index by listener: only subject-rights requests look events up by listener, rarely.

CREATE TABLE stream_findings (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organisations(id),
  -- The same finding found by a later scan of the same period is not stored twice.
  key text NOT NULL,
  kind text NOT NULL,
  period_from timestamptz NOT NULL,
  period_to timestamptz NOT NULL,
  accounts jsonb NOT NULL,
  tracks jsonb NOT NULL,
  streams integer NOT NULL,
  evidence jsonb NOT NULL,
  status text NOT NULL DEFAULT 'open',
  reviewed_by text,
  reviewed_at timestamptz,
  note text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX stream_findings_key ON stream_findings (org_id, key);
CREATE INDEX stream_findings_org ON stream_findings (org_id, created_at);

CREATE TABLE stream_flags (
  org_id uuid NOT NULL,
  finding_id uuid NOT NULL REFERENCES stream_findings(id),
  event_id text NOT NULL,
  PRIMARY KEY (finding_id, event_id)
);
CREATE INDEX stream_flags_event ON stream_flags (org_id, event_id);

CREATE TABLE stream_daily (
  org_id uuid NOT NULL REFERENCES organisations(id),
  day date NOT NULL,
  isrc text NOT NULL,
  country text NOT NULL,
  service text NOT NULL,
  streams integer NOT NULL,
  flagged integer NOT NULL,
  PRIMARY KEY (org_id, day, isrc, country, service)
);

CREATE TABLE listener_consents (
  org_id uuid NOT NULL REFERENCES organisations(id),
  listener text NOT NULL,
  purpose text NOT NULL,
  state text NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (org_id, listener, purpose)
);

-- Differential-privacy budget spent per recipient of aggregates and month, in thousandths of ε.
CREATE TABLE privacy_budget (
  org_id uuid NOT NULL REFERENCES organisations(id),
  recipient text NOT NULL,
  month text NOT NULL,
  spent_milli integer NOT NULL,
  PRIMARY KEY (org_id, recipient, month)
);
