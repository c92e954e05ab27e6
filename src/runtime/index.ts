// Wires one process: the store on its engine, the key verifier, and the job queue — the jobs
// table when there is no Redis, BullMQ when there is. serve, worker and demo all start here.

import { KeyVerifier } from '../auth/index.ts';
import { BullQueue, JobRegistry, TableQueue, WorkerPool, checkRedisUrl, type JobListener, type JobQueue } from '../jobs/index.ts';
import { systemClock, type Clock } from '../shared/index.ts';
import { DEFAULT_CONFIG, SegmentIndex, type FingerprintIndex } from '../fingerprint/index.ts';
import { openStore, PgFingerprintIndex, type Repositories, type Store, type StoreConfig } from '../store/index.ts';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_POLICY, readPolicy } from '../screening/index.ts';
import { allJobs, type RuntimeServices } from './jobs.ts';
import type { ConsentDeps } from '../consent/index.ts';
import { consentDeps } from '../licensing/index.ts';

export interface RuntimeConfig extends StoreConfig {
  redisUrl?: string;
  /** Worker threads for job work; default: one per core. */
  threads?: number;
  /** Redis key prefix of the BullMQ queue (default "ll", or LEDGERLINE_QUEUE_PREFIX). */
  queuePrefix?: string;
  onJobEvent?: JobListener;
  /** Where uploads are kept (default: beside the embedded data, or LEDGERLINE_UPLOADS_DIR, or ./.ledgerline-uploads). */
  uploadsDir?: string;
  /** The screening policy file (JSON or YAML; default LEDGERLINE_POLICY, else the built-in policy). */
  policyFile?: string;
}

/** The uploads directory: embedded data keeps them beside the database; a shared database needs a shared directory. */
function uploadsDirFor(store: Store, given?: string): string {
  if (given) return resolve(given);
  if (process.env.LEDGERLINE_UPLOADS_DIR) return resolve(process.env.LEDGERLINE_UPLOADS_DIR);
  return store.engine === 'pglite' ? join(store.location, 'uploads') : resolve('.ledgerline-uploads');
}

export interface Runtime {
  store: Store;
  clock: Clock;
  keys: KeyVerifier;
  queue: JobQueue;
  /** Worker threads for CPU-bound work (decode, fingerprint); owned by the queue. */
  pool: WorkerPool;
  /** Consent operations with their in-memory check view, wired to licensing's revocation notices. */
  consent: ConsentDeps<Repositories>;
  /** Where uploads are kept for screening; every worker process must reach the same directory. */
  uploadsDir: string;
  /** The fingerprint index of this deployment, opened on first use. */
  fingerprintIndex(): Promise<FingerprintIndex>;
  close(opts?: { graceMs?: number }): Promise<void>;
}

/**
 * The fingerprint index that goes with a store: postings in PostgreSQL for a shared database,
 * segment files beside the data of an embedded one.
 */
export async function openFingerprintIndex(store: Store): Promise<FingerprintIndex> {
  if (store.engine === 'postgres') return new PgFingerprintIndex(store.db);
  return SegmentIndex.open(join(store.location, 'fingerprints'), DEFAULT_CONFIG.version);
}

export async function openRuntime(cfg: RuntimeConfig): Promise<Runtime> {
  if (cfg.redisUrl) checkRedisUrl(cfg.redisUrl);
  const store = await openStore(cfg);
  let index: Promise<FingerprintIndex> | null = null;
  const fingerprintIndex = () => (index ??= openFingerprintIndex(store));
  const policy = cfg.policyFile ?? process.env.LEDGERLINE_POLICY;
  const registry = new JobRegistry<Repositories, RuntimeServices>(allJobs, {
    clock: systemClock,
    fingerprintIndex,
    policy: policy ? readPolicy(readFileSync(policy, 'utf8'), policy) : DEFAULT_POLICY,
  });
  const pool = new WorkerPool(cfg.threads);
  const queue: JobQueue = cfg.redisUrl
    ? new BullQueue({ redisUrl: cfg.redisUrl, store, pool, registry, prefix: cfg.queuePrefix ?? process.env.LEDGERLINE_QUEUE_PREFIX, onEvent: cfg.onJobEvent })
    : new TableQueue({ store, pool, registry, onEvent: cfg.onJobEvent });
  return {
    store,
    clock: systemClock,
    keys: new KeyVerifier(store.repos.auth),
    queue,
    pool,
    consent: consentDeps(store, systemClock),
    fingerprintIndex,
    uploadsDir: uploadsDirFor(store, cfg.uploadsDir),
    close: async (opts) => {
      await queue.close(opts);
      if (index) await (await index).close();
      await store.close();
    },
  };
}
