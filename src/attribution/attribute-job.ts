// Attribution as a job kind. The work (decode, fingerprint, chroma) runs on a worker thread; the
// effect (both layers against the catalog, the stored version, the audit entry) runs in one
// transaction in the process that took the job, at most once per output and request, so a
// retried job never doubles a stored version.

import { extract, type ExtractOutput, type FingerprintIndex } from '../fingerprint/index.ts';
import { defineJob, type JobsStore } from '../jobs/index.ts';
import { isLedgerlineError, type Clock } from '../shared/index.ts';
import { ATTRIBUTION_LIMITS, attributeAnalysis, licenceScope, recordAttribution, type AttributionRepos } from './service.ts';
import { DEFAULT_SHARE_POLICY } from './shares.ts';
import type { CompositionSearch } from './works.ts';

export interface AttributePayload {
  orgId: string;
  outputId: string;
  /** Where the output's bytes are kept (the uploads directory). */
  path: string;
  runId: string | null;
  actor: string;
}

export type AttributeWork = { ok: true; analysis: ExtractOutput } | { ok: false; error: { code: string; message: string } };

export type AttributeJobRepos = AttributionRepos & { jobs: JobsStore };

export interface AttributionServices {
  clock: Clock;
  fingerprintIndex(): Promise<FingerprintIndex>;
  /** The composition layer's search: its shortlist and alignments run on the pool's threads, not on the thread that applies the job. */
  works: CompositionSearch;
}

export async function attributeWork(p: AttributePayload): Promise<AttributeWork> {
  try {
    return { ok: true, analysis: await extract({ path: p.path, limits: ATTRIBUTION_LIMITS, chroma: true }) };
  } catch (err) {
    // Audio that cannot be read is an answer about the output, not a reason to retry.
    if (isLedgerlineError(err) && err.kind !== 'internal' && err.kind !== 'unavailable') return { ok: false, error: { code: err.code, message: err.message } };
    throw err;
  }
}

export const attributeJob = defineJob<AttributePayload, AttributeWork, AttributeJobRepos, AttributionServices>({
  name: 'attribution.attribute',
  module: import.meta.url,
  maxAttempts: 3,
  timeoutMs: 10 * 60_000,
  run: attributeWork,
  async apply(repos, p, work, ctx) {
    if (!work.ok) {
      await repos.attributions.finishOutput(p.outputId, 'failed', null, `${work.error.message} [${work.error.code}]`);
      return;
    }
    const output = await repos.attributions.getOutput(p.orgId, p.outputId);
    if (!output) return;
    try {
      const scope = await licenceScope(repos, { orgId: p.orgId, actor: p.actor }, p.runId);
      const result = await attributeAnalysis(repos, await ctx.services.fingerprintIndex(), ctx.services.works, p.orgId, work.analysis, scope, DEFAULT_SHARE_POLICY);
      await recordAttribution(repos, ctx.services.clock, { orgId: p.orgId, actor: p.actor }, output, scope.runId, work.analysis.contentHash, result);
      await repos.attributions.finishOutput(p.outputId, 'done', Math.round(work.analysis.durationSeconds * 1000), null);
    } catch (err) {
      // A run withdrawn in full since the output was received: the output says so and stops.
      if (!isLedgerlineError(err) || err.kind === 'internal' || err.kind === 'unavailable') throw err;
      await repos.attributions.finishOutput(p.outputId, 'failed', null, `${err.message} [${err.code}]`);
    }
  },
  // The analysis is for matching only; the jobs table keeps the summary.
  keep: (w) => (w.ok ? { ok: true, durationSeconds: w.analysis.durationSeconds, contentHash: w.analysis.contentHash } : w),
});
