// The store: one Kysely database on either engine, and the repositories every capability
// declared, bound either to the pool or to one transaction.

import type { Kysely } from 'kysely';
import type { AuditStore } from '../audit/index.ts';
import type { AuthStore } from '../auth/index.ts';
import type { CatalogStore } from '../catalog/index.ts';
import type { ConsentStore } from '../consent/index.ts';
import type { LicensingStore } from '../licensing/index.ts';
import type { ScreeningStore } from '../screening/index.ts';
import type { FingerprintStore } from '../fingerprint/store.ts';
import type { JobsStore } from '../jobs/store.ts';
import type { CompositionStore } from '../composition/index.ts';
import type { AttributionStore } from '../attribution/store.ts';
import type { Transactor } from '../shared/index.ts';
import { auditRepo } from './audit-repo.ts';
import { authRepo } from './auth-repo.ts';
import { catalogRepo } from './catalog-repo.ts';
import { consentRepo } from './consent-repo.ts';
import { licensingRepo } from './licensing-repo.ts';
import { screeningRepo } from './screening-repo.ts';
import { jobsRepo } from './jobs-repo.ts';
import { fingerprintRepo } from './fingerprint-repo.ts';
import { compositionRepo } from './composition-repo.ts';
import { attributionRepo } from './attribution-repo.ts';
import { streamsRepo } from './streams-repo.ts';
import { royaltiesRepo } from './royalties-repo.ts';
import type { RoyaltyStore } from '../royalties/store.ts';
import type { StreamStore } from '../streams/store.ts';
import { openDatabase, type Engine, type StoreConfig } from './open.ts';
import type { Database } from './schema.ts';

export interface Repositories {
  catalog: CatalogStore;
  auth: AuthStore;
  audit: AuditStore;
  jobs: JobsStore;
  fingerprints: FingerprintStore;
  consent: ConsentStore;
  licensing: LicensingStore;
  screening: ScreeningStore;
  compositions: CompositionStore;
  attributions: AttributionStore;
  streams: StreamStore;
  royalties: RoyaltyStore;
}

export interface Store extends Transactor<Repositories> {
  engine: Engine;
  schema: string;
  location: string;
  close(): Promise<void>;
  /** Raw access for store tests and operator tooling; capabilities use repos. */
  readonly db: Kysely<Database>;
}

function bind(db: Kysely<Database>, engine: Engine): Repositories {
  return { catalog: catalogRepo(db), auth: authRepo(db), audit: auditRepo(db), jobs: jobsRepo(db), fingerprints: fingerprintRepo(db), consent: consentRepo(db), licensing: licensingRepo(db), screening: screeningRepo(db), compositions: compositionRepo(db), attributions: attributionRepo(db), streams: streamsRepo(db, engine), royalties: royaltiesRepo(db, engine) };
}

export async function openStore(cfg: StoreConfig): Promise<Store> {
  const opened = await openDatabase(cfg);
  const repos = bind(opened.db, opened.engine);
  let closed = false;
  return {
    engine: opened.engine,
    schema: opened.schema,
    location: opened.location,
    db: opened.db,
    repos,
    transaction: (fn) => opened.db.transaction().execute((trx) => fn(bind(trx, opened.engine))),
    close: async () => {
      if (closed) return;
      closed = true;
      await opened.close();
    },
  };
}

export type { StoreConfig, Engine } from './open.ts';
export { parseDatabaseUrl } from './open.ts';
export { PgFingerprintIndex } from './fingerprint-repo.ts';
export { StoreErrors } from './errors.ts';
export { migrate, loadMigrations } from './migrate.ts';
export type { Database } from './schema.ts';
export { privateDataDir, narrowToOwner } from './private-dir.ts';
