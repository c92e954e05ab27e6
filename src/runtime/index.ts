// Wires one process: the store on its engine, the key verifier, and the job queue — the jobs
// table when there is no Redis, BullMQ when there is. serve, worker and demo all start here.

import { KeyVerifier } from '../auth/index.ts';
import { BullQueue, JobRegistry, TableQueue, WorkerPool, checkRedisUrl, type JobListener, type JobQueue } from '../jobs/index.ts';
import { systemClock, type Clock } from '../shared/index.ts';
import { DEFAULT_CONFIG, SegmentIndex, type FingerprintIndex } from '../fingerprint/index.ts';
import { openStore, PgFingerprintIndex, type Repositories, type Store, type StoreConfig } from '../store/index.ts';
import { join } from 'node:path';
import { allJobs } from './jobs.ts';
import type { ConsentDeps } from '../consent/index.ts';
import { consentDeps } from '../licensing/index.ts';

export interface RuntimeConfig extends StoreConfig {
  redisUrl?: string;
  /** Worker threads for job work; default: one per core. */
  threads?: number;
  /** Redis key prefix of the BullMQ queue (default "ll", or LEDGERLINE_QUEUE_PREFIX). */
  queuePrefix?: string;
  onJobEvent?: JobListener;
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
  const registry = new JobRegistry<Repositories>(allJobs);
  const pool = new WorkerPool(cfg.threads);
  const queue: JobQueue = cfg.redisUrl
    ? new BullQueue({ redisUrl: cfg.redisUrl, store, pool, registry, prefix: cfg.queuePrefix ?? process.env.LEDGERLINE_QUEUE_PREFIX, onEvent: cfg.onJobEvent })
    : new TableQueue({ store, pool, registry, onEvent: cfg.onJobEvent });
  let index: Promise<FingerprintIndex> | null = null;
  return {
    store,
    clock: systemClock,
    keys: new KeyVerifier(store.repos.auth),
    queue,
    pool,
    consent: consentDeps(store, systemClock),
    fingerprintIndex: () => (index ??= openFingerprintIndex(store)),
    close: async (opts) => {
      await queue.close(opts);
      if (index) await (await index).close();
      await store.close();
    },
  };
}
