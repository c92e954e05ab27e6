-- The royalties ledger: revenue reports, journal entries and their postings (append-only: a
-- correction is a new entry), balances kept beside the postings (checked by `ledger verify`),
-- and periods that close.

CREATE TABLE revenue (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organisations(id),
  key text NOT NULL,
  source text NOT NULL,
  period text NOT NULL,
  currency text NOT NULL,
  amount_minor bigint NOT NULL,
  payer text NOT NULL,
  details jsonb NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX revenue_key ON revenue (org_id, key);
CREATE INDEX revenue_period ON revenue (org_id, period);

CREATE TABLE ledger_entries (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organisations(id),
  key text NOT NULL,
  period text NOT NULL,
  source_kind text NOT NULL,
  source_ref text NOT NULL,
  memo text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX ledger_entries_key ON ledger_entries (org_id, key);
CREATE INDEX ledger_entries_period ON ledger_entries (org_id, period);

CREATE TABLE ledger_postings (
  entry_id uuid NOT NULL REFERENCES ledger_entries(id),
  line integer NOT NULL,
  org_id uuid NOT NULL,
  account text NOT NULL,
  currency text NOT NULL,
  amount bigint NOT NULL,
  track_id uuid,
  memo text,
  PRIMARY KEY (entry_id, line)
);
CREATE INDEX ledger_postings_account ON ledger_postings (org_id, account);

CREATE TABLE ledger_balances (
  org_id uuid NOT NULL REFERENCES organisations(id),
  account text NOT NULL,
  currency text NOT NULL,
  balance bigint NOT NULL,
  PRIMARY KEY (org_id, account, currency)
);

CREATE TABLE royalty_periods (
  org_id uuid NOT NULL REFERENCES organisations(id),
  period text NOT NULL,
  closed_at timestamptz NOT NULL,
  closed_by text NOT NULL,
  PRIMARY KEY (org_id, period)
);

CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER ledger_postings_append_only BEFORE UPDATE OR DELETE ON ledger_postings FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER revenue_append_only BEFORE UPDATE OR DELETE ON revenue FOR EACH ROW EXECUTE FUNCTION append_only();
