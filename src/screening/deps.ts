// What the screening operations are given: the store, the clock, the job queue, where upload
// bytes are kept, and how ids are made. src/runtime/ builds it; tests pass strict fakes.

import type { JobQueue } from '../jobs/index.ts';
import type { Clock, Transactor } from '../shared/index.ts';
import type { BlobStore } from './blobs.ts';
import type { ScreeningRepos } from './job-types.ts';

export interface ScreeningDeps {
  store: Transactor<ScreeningRepos>;
  clock: Clock;
  queue: JobQueue;
  /** Where uploads' bytes are kept, by content hash; every worker must reach it. */
  blobs: BlobStore;
  /** New upload ids. */
  newId: () => string;
}
