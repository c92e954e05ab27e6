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
  audit_log: AuditLogTable;
  jobs: JobsTable;
  job_effects: JobEffectsTable;
  fingerprints: FingerprintsTable;
  fp_postings: FpPostingsTable;
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
