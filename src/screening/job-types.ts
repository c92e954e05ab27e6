// What the screening job carries and needs: its payload, the work a worker thread returns, and
// what its effect (decide.ts) reads besides the payload. Kept apart so the job and its effect
// depend on these, not on each other.

import type { AuditStore } from '../audit/index.ts';
import type { CatalogStore } from '../catalog/index.ts';
import type { ConsentStore } from '../consent/index.ts';
import type { Detection } from '../detect/index.ts';
import type { FingerprintIndex, FingerprintStore, Hashes } from '../fingerprint/index.ts';
import type { JobsStore } from '../jobs/index.ts';
import type { Clock } from '../shared/index.ts';
import type { AudioFacts } from './audio-facts.ts';
import type { Policy } from './policy.ts';
import type { ScreeningStore } from './store.ts';

export type ScreeningRepos = { screening: ScreeningStore; catalog: CatalogStore; consent: ConsentStore; fingerprints: FingerprintStore; audit: AuditStore; jobs: JobsStore };

export interface ScreenPayload {
  orgId: string;
  uploadId: string;
  /** Where the upload's bytes are kept (the uploads directory). */
  path: string;
  round: number;
}

export type ScreenWork =
  | { ok: true; durationSeconds: number; contentHash: string; hashes: Hashes; facts: AudioFacts; detection: Pick<Detection, 'verdict' | 'score' | 'reason' | 'evidence'> }
  | { ok: false; error: { code: string; message: string } };

/** What the effect needs beyond the repositories. */
export interface ScreeningServices {
  clock: Clock;
  fingerprintIndex(): Promise<FingerprintIndex>;
  /** The policy in force (the default unless the deployment names a file). */
  policy: Policy;
}
