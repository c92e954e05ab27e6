// What route handlers reach: the store, the clock and the key verifier, set once at start-up.

import type { KeyVerifier } from '../auth/index.ts';
import type { CatalogDeps } from '../catalog/index.ts';
import type { Clock } from '../shared/index.ts';
import type { FingerprintDeps } from '../fingerprint/index.ts';
import type { WorkerPool } from '../jobs/index.ts';
import type { ConsentDeps } from '../consent/index.ts';
import type { ScreeningDeps } from '../screening/index.ts';
import type { Repositories, Store } from '../store/index.ts';

export interface ApiContext {
  store: Store;
  clock: Clock;
  keys: KeyVerifier;
  /** Index and worker pool for audio routes, opened on first use. */
  fingerprints(): Promise<FingerprintDeps>;
  /** Worker threads for CPU-bound work (decoding, detection). */
  pool: WorkerPool;
  /** Consent operations and the in-memory view that answers checks. */
  consent: ConsentDeps<Repositories>;
  /** Upload intake and the review queue: the store, the job queue and the uploads directory. */
  screening: ScreeningDeps;
}

/** Catalog operations; a committed catalog write makes the consent view look again before its next answer. */
export function catalogDeps(ctx: ApiContext): CatalogDeps {
  const store = ctx.store;
  return {
    clock: ctx.clock,
    store: {
      repos: store.repos,
      async transaction(fn) {
        const out = await store.transaction(fn);
        ctx.consent.view.touch();
        return out;
      },
    },
  };
}
