// The crash sweep a serving process runs (src/runtime/ starts it): uploads a crash left queued go
// back to the queue, and one whose job gave up is failed with the job's error.

import { appendAudit } from '../audit/index.ts';
import type { ScreeningDeps } from './deps.ts';
import { enqueueScreening } from './intake.ts';

/**
 * The crash sweep: uploads still queued after `olderThanMs` are handed to the queue again (the
 * key makes that a no-op for a job that exists), and one whose job gave up after its last
 * attempt is marked failed with the job's error, so no upload waits forever.
 */
export async function requeueStale(deps: ScreeningDeps, olderThanMs = 60_000): Promise<{ requeued: number; failed: number }> {
  const before = new Date(deps.clock.now().getTime() - olderThanMs).toISOString();
  const stale = await deps.store.repos.screening.queuedBefore(null, before, 1000);
  let failed = 0;
  for (const u of stale) {
    const { id } = await enqueueScreening(deps, u, 1);
    const job = await deps.queue.get(id);
    if (job?.status === 'failed') {
      failed++;
      await deps.store.transaction(async (r) => {
        const now = deps.clock.now().toISOString();
        await r.screening.setOutcome(u.orgId, u.id, { status: 'failed', decision: null, error: `screening gave up after ${job.attempts} attempts: ${job.lastError ?? 'unknown error'}`, at: now, notify: true });
        await appendAudit(r.audit, deps.clock, { orgId: u.orgId, actor: 'system:screening', action: 'screening.fail', subject: `upload:${u.id}`, data: { job: id, attempts: job.attempts, error: job.lastError } });
      });
    }
  }
  return { requeued: stale.length - failed, failed };
}
