// The database as Kysely sees it. Generated<> marks columns the database fills in.

import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;

export interface OrganisationsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  created_at: Generated<Date>;
}

export interface ApiKeysTable {
  id: string;
  org_id: string;
  role: string;
  name: string;
  subject_id: string | null;
  secret_hash: string;
  created_at: Generated<Date>;
  revoked_at: Timestamp | null;
  issued_by: string | null;
}

export interface ArtistsTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  verified: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface RightsHoldersTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  kind: string;
  ipi: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ReleasesTable {
  id: Generated<string>;
  org_id: string;
  title: string;
  artist_id: string | null;
  icpn: string | null;
  grid: string | null;
  release_date: ColumnType<Date | string | null, string | null, string | null>;
  genre: string | null;
  label: string | null;
  p_line: string | null;
  contains_ai: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface TracksTable {
  id: Generated<string>;
  org_id: string;
  title: string;
  artist_id: string | null;
  release_id: string | null;
  isrc: string | null;
  iswc: string | null;
  duration_ms: number | null;
  content_hash: string | null;
  genre: string | null;
  p_line: string | null;
  contains_ai: string | null;
  contributors: ColumnType<unknown, string | undefined, string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface SplitsTable {
  track_id: string;
  kind: string;
  rights_holder_id: string;
  role: string | null;
  share_ppm: number;
}

export interface SplitVersionsTable {
  track_id: string;
  kind: string;
  valid_from: Date | string;
  shares: unknown;
}

export interface AuditLogTable {
  seq: ColumnType<string | number, number, never>;
  at: Timestamp;
  org_id: string | null;
  actor: string;
  action: string;
  subject: string | null;
  data: Json;
  prev_hash: string;
  hash: string;
}

export interface JobsTable {
  id: Generated<string>;
  name: string;
  payload: Json;
  idempotency_key: string;
  state: string;
  attempts: Generated<number>;
  max_attempts: number;
  backoff_ms: number;
  run_at: Generated<Date>;
  locked_by: string | null;
  locked_until: Timestamp | null;
  last_error: string | null;
  result: Json | null;
  created_at: Generated<Date>;
  finished_at: Timestamp | null;
}

export interface JobEffectsTable {
  idempotency_key: string;
  job_name: string;
  applied_at: Generated<Date>;
}

export interface Database {
  organisations: OrganisationsTable;
  api_keys: ApiKeysTable;
  artists: ArtistsTable;
  rights_holders: RightsHoldersTable;
  releases: ReleasesTable;
  tracks: TracksTable;
  splits: SplitsTable;
  split_versions: SplitVersionsTable;
  audit_log: AuditLogTable;
  jobs: JobsTable;
  job_effects: JobEffectsTable;
  fingerprints: FingerprintsTable;
  fp_postings: FpPostingsTable;
  licensees: LicenseesTable;
  consent_rules: ConsentRulesTable;
  consent_signals: ConsentSignalsTable;
  licenses: LicensesTable;
  signing_keys: SigningKeysTable;
  manifests: ManifestsTable;
  manifest_entries: ManifestEntriesTable;
  training_runs: TrainingRunsTable;
  revocation_notices: RevocationNoticesTable;
  release_deals: ReleaseDealsTable;
  uploads: UploadsTable;
  screening_decisions: ScreeningDecisionsTable;
  review_items: ReviewItemsTable;
  verified_uploaders: VerifiedUploadersTable;
  upload_fingerprints: UploadFingerprintsTable;
  upload_announcements: UploadAnnouncementsTable;
  composition_features: CompositionFeaturesTable;
  outputs: OutputsTable;
  attributions: AttributionsTable;
  attribution_tracks: AttributionTracksTable;
  stream_events: StreamEventsTable;
  stream_findings: StreamFindingsTable;
  stream_flags: StreamFlagsTable;
  stream_daily: StreamDailyTable;
  listener_consents: ListenerConsentsTable;
  privacy_budget: PrivacyBudgetTable;
  revenue: RevenueTable;
  ledger_entries: LedgerEntriesTable;
  ledger_postings: LedgerPostingsTable;
  ledger_balances: LedgerBalancesTable;
  royalty_periods: RoyaltyPeriodsTable;
}

export interface StreamEventsTable {
  org_id: string;
  event_id: string;
  listener: string;
  client: string | null;
  epoch: number;
  isrc: string;
  track_id: string | null;
  started_at: ColumnType<Date | string, string, string>;
  ms_played: number;
  country: string | null;
  service: string;
  context: string | null;
}

export interface StreamFindingsTable {
  id: string;
  org_id: string;
  key: string;
  kind: string;
  period_from: ColumnType<Date | string, string, string>;
  period_to: ColumnType<Date | string, string, string>;
  accounts: ColumnType<unknown, string, string>;
  tracks: ColumnType<unknown, string, string>;
  streams: number;
  evidence: ColumnType<unknown, string, string>;
  status: string;
  reviewed_by: string | null;
  reviewed_at: ColumnType<Date | null, string | null, string | null>;
  note: string | null;
  created_at: ColumnType<Date | string, string, string>;
}

export interface StreamFlagsTable {
  org_id: string;
  finding_id: string;
  event_id: string;
}

export interface StreamDailyTable {
  org_id: string;
  day: ColumnType<Date | string, string, string>;
  isrc: string;
  country: string;
  service: string;
  streams: number;
  flagged: number;
}

export interface ListenerConsentsTable {
  org_id: string;
  listener: string;
  purpose: string;
  state: string;
  updated_at: ColumnType<Date, string, string>;
}

export interface CompositionFeaturesTable {
  track_id: string;
  org_id: string;
  version: number;
  frames: number;
  frame_ms: number;
  chroma: Uint8Array;
  patches: Uint8Array | null;
  created_at: Generated<Date>;
}

export interface OutputsTable {
  id: string;
  org_id: string;
  licensee_id: string | null;
  run_id: string | null;
  title: string;
  external_id: string | null;
  content_hash: string;
  duration_ms: number | null;
  status: 'queued' | 'done' | 'failed';
  error: string | null;
  created_by: string;
  created_at: Timestamp;
}

export interface AttributionsTable {
  output_id: string;
  version: number;
  engine_version: string;
  result: Json;
  created_at: Timestamp;
}

export interface AttributionTracksTable {
  output_id: string;
  version: number;
  track_id: string;
  layer: 'master' | 'composition';
  share_ppm: number;
  licensed: boolean;
}

export interface FingerprintsTable {
  ref: number;
  track_id: string;
  org_id: string;
  version: number;
  hash_count: number;
  duration_ms: number;
  created_at: Generated<Date>;
}

export interface FpPostingsTable {
  key: number;
  ref: number;
  t1: number;
  c1: number;
  span: number;
}

export interface LicenseesTable {
  id: Generated<string>;
  org_id: string;
  slug: string;
  name: string;
  created_at: Generated<Date>;
}

export interface ConsentRulesTable {
  version: ColumnType<string | number, never, never>;
  org_id: string;
  level: string;
  scope_id: string;
  use: string;
  state: string | null;
  terms: Json;
  effective_at: Timestamp;
  recorded_at: Timestamp;
  author: string;
  author_role: string;
  author_subject: string | null;
  note: string | null;
  author_key_issued_by: string | null;
}

export interface ConsentSignalsTable {
  id: ColumnType<string | number, never, never>;
  org_id: string;
  track_id: string;
  use: string;
  reserved: boolean;
  format: string;
  source: string;
  rule: string;
  policy: string | null;
  observed_at: Timestamp;
}

export interface LicensesTable {
  id: Generated<string>;
  org_id: string;
  licensee_id: string;
  uses: Json;
  territories: Json;
  purpose: string | null;
  valid_from: Timestamp;
  valid_until: Timestamp | null;
  fee: Json | null;
  created_at: Generated<Date>;
}

export interface SigningKeysTable {
  id: string;
  public_key: string;
  /** Only ever set by versions before key files; moved out and cleared at start. */
  private_key: string | null;
  created_at: Generated<Date>;
}

export interface ManifestsTable {
  id: string;
  org_id: string;
  license_id: string;
  licensee_id: string;
  header: Json;
  root: string;
  key_id: string;
  signature: string;
  issued_at: Timestamp;
}

export interface ManifestEntriesTable {
  manifest_id: string;
  position: number;
  track_id: string;
  isrc: string;
  content_hash: string;
  duration_ms: number | null;
  consent_version: ColumnType<string | number, number, never>;
}

export interface TrainingRunsTable {
  id: Generated<string>;
  org_id: string;
  manifest_id: string;
  model_name: string;
  model_version: string;
  started_at: Timestamp;
  ended_at: Timestamp | null;
  registered_at: Timestamp;
}

export interface RevocationNoticesTable {
  id: ColumnType<string | number, never, never>;
  org_id: string;
  licensee_id: string;
  manifest_id: string;
  track_id: string;
  isrc: string;
  use: string;
  consent_version: ColumnType<string | number, number, never>;
  effective_at: Timestamp;
  reason: string;
  created_at: Timestamp;
}

export interface ReleaseDealsTable {
  id: ColumnType<string | number, never, never>;
  org_id: string;
  release_id: string;
  territories: Json;
  excluded_territories: Json;
  valid_from: ColumnType<Date | string | null, string | null, string | null>;
  valid_until: ColumnType<Date | string | null, string | null, string | null>;
  use_types: Json;
  commercial_models: Json;
}

export interface UploadsTable {
  id: string;
  org_id: string;
  uploader: string;
  client_key: string | null;
  title: string;
  artist: string | null;
  metadata: Json;
  content_hash: string;
  bytes: ColumnType<string | number, number, number>;
  status: string;
  decision: string | null;
  error: string | null;
  webhook_url: string | null;
  webhook_state: string | null;
  webhook_attempts: Generated<number>;
  received_at: Timestamp;
  decided_at: Timestamp | null;
}

export interface ScreeningDecisionsTable {
  id: ColumnType<string | number, never, never>;
  org_id: string;
  upload_id: string;
  round: number;
  source: string;
  decision: string;
  policy_version: string;
  signals: Json;
  applied: Json;
  facts: Json;
  actor: string;
  reason: string | null;
  decided_at: Timestamp;
}

export interface ReviewItemsTable {
  upload_id: string;
  org_id: string;
  state: string;
  reason: string;
  claimed_by: string | null;
  claimed_at: Timestamp | null;
  opened_at: Timestamp;
  closed_at: Timestamp | null;
}

export interface VerifiedUploadersTable {
  org_id: string;
  uploader: string;
  artist_id: string;
  verified_at: Timestamp;
}

export interface UploadFingerprintsTable {
  upload_id: string;
  org_id: string;
  uploader: string;
  received_at: Timestamp;
  packed: Uint8Array;
}

export interface UploadAnnouncementsTable {
  org_id: string;
  isrc: string;
  message_id: string;
  title: string;
  artist: string | null;
  contains_ai: string | null;
  received_at: Timestamp;
}

export interface PrivacyBudgetTable {
  org_id: string;
  recipient: string;
  month: string;
  spent_milli: number;
}

export interface RevenueTable {
  id: string;
  org_id: string;
  key: string;
  source: string;
  period: string;
  currency: string;
  amount_minor: ColumnType<string | number, number, number>;
  payer: string;
  details: ColumnType<unknown, string, string>;
  created_at: ColumnType<Date | string, string, string>;
}

export interface LedgerEntriesTable {
  id: string;
  org_id: string;
  key: string;
  period: string;
  source_kind: string;
  source_ref: string;
  memo: string;
  created_at: ColumnType<Date | string, string, string>;
}

export interface LedgerPostingsTable {
  entry_id: string;
  line: number;
  org_id: string;
  account: string;
  currency: string;
  amount: ColumnType<string | number, number, number>;
  track_id: string | null;
  memo: string | null;
}

export interface LedgerBalancesTable {
  org_id: string;
  account: string;
  currency: string;
  balance: ColumnType<string | number, number, number>;
}

export interface RoyaltyPeriodsTable {
  org_id: string;
  period: string;
  closed_at: ColumnType<Date | string, string, string>;
  closed_by: string;
}
