// Wires one process: the store on its engine, the key verifier, and the job queue — the jobs
// table when there is no Redis, BullMQ when there is. serve, worker and demo all start here.

import { KeyVerifier } from '../auth/index.ts';
import { BullQueue, JobRegistry, TableQueue, WorkerPool, checkRedisUrl, type JobQueue } from '../jobs/index.ts';
import { systemClock, type Clock } from '../shared/index.ts';
import { openStore, type Repositories, type Store, type StoreConfig } from '../store/index.ts';
import { allJobs } from './jobs.ts';

export interface RuntimeConfig extends StoreConfig {
  redisUrl?: string;
  /** Worker threads for job work; default: one per core. */
  threads?: number;
}

export interface Runtime {
  store: Store;
  clock: Clock;
  keys: KeyVerifier;
  queue: JobQueue;
  close(opts?: { graceMs?: number }): Promise<void>;
}

export async function openRuntime(cfg: RuntimeConfig): Promise<Runtime> {
  if (cfg.redisUrl) checkRedisUrl(cfg.redisUrl);
  const store = await openStore(cfg);
  const registry = new JobRegistry<Repositories>(allJobs);
  const pool = new WorkerPool(cfg.threads);
  const queue: JobQueue = cfg.redisUrl
    ? new BullQueue({ redisUrl: cfg.redisUrl, store, pool, registry })
    : new TableQueue({ store, pool, registry });
  return {
    store,
    clock: systemClock,
    keys: new KeyVerifier(store.repos.auth),
    queue,
    close: async (opts) => {
      await queue.close(opts);
      await store.close();
    },
  };
}
