// What the screening operations are given: the store, the clock, the job queue, where upload
// bytes are kept, and how ids are made. src/runtime/ builds it; tests pass strict fakes.

import type { JobQueue } from '../jobs/index.ts';
import type { Clock, Transactor } from '../shared/index.ts';
import type { BlobStore } from './blobs.ts';
import type { ScreeningRepos } from './job-types.ts';
import type { TargetPolicy } from './webhook-target.ts';

export interface ScreeningDeps {
  store: Transactor<ScreeningRepos>;
  clock: Clock;
  queue: JobQueue;
  /** Where uploads' bytes are kept, by content hash; every worker must reach it. */
  blobs: BlobStore;
  /** New upload ids. */
  newId: () => string;
  /** Where webhooks may go (LEDGERLINE_WEBHOOK_ALLOW lists internal exceptions). */
  webhookTargets: TargetPolicy;
  /** The secret an upload's webhook deliveries are signed with, shown to its sender once. */
  webhookSecret: (uploadId: string) => Promise<string>;
}
