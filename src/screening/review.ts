// The review queue: what waits for a person, claimed by one reviewer and decided by that one with
// a reason; reversals and appeals; uploaders verified for an artist. Every change is audit-logged,
// and decisions are appended as new rounds, never rewritten.

import { appendAudit } from '../audit/index.ts';
import { LedgerlineError, type Caller } from '../shared/index.ts';
import type { ScreeningDeps } from './deps.ts';
import { badUpload, ScreeningErrors } from './errors.ts';
import { getUpload, type UploadView } from './uploads.ts';
import { DECISIONS, type ReviewItem, type ScreeningDecision } from './types.ts';


function checkDecision(raw: string): ScreeningDecision {
  if (!(DECISIONS as readonly string[]).includes(raw)) throw badUpload(`decision must be one of ${DECISIONS.join(', ')}`, { decision: raw });
  return raw as ScreeningDecision;
}

/** The review queue: the items waiting for a person (open or claimed) unless a state is named. */
export async function listReview(deps: Pick<ScreeningDeps, 'store'>, caller: Caller, state: ReviewItem['state'] | null, limit: number) {
  return deps.store.repos.screening.listReview(caller.orgId, state ? [state] : ['open', 'claimed'], limit);
}

export async function claimReview(deps: Pick<ScreeningDeps, 'store' | 'clock'>, caller: Caller, uploadId: string): Promise<ReviewItem> {
  return deps.store.transaction(async (r) => {
    const item = await r.screening.getReview(caller.orgId, uploadId);
    if (!item) throw new LedgerlineError(ScreeningErrors.NOT_FOUND, `upload ${uploadId} is not in the review queue`, { uploadId });
    if (!(await r.screening.claimReview(caller.orgId, uploadId, caller.actor, deps.clock.now().toISOString()))) {
      throw new LedgerlineError(ScreeningErrors.REVIEW_CONFLICT, `upload ${uploadId} is ${item.state === 'claimed' ? `claimed by ${item.claimedBy}` : 'already decided'}`, { state: item.state, claimedBy: item.claimedBy });
    }
    await appendAudit(r.audit, deps.clock, { orgId: caller.orgId, actor: caller.actor, action: 'review.claim', subject: `upload:${uploadId}`, data: {} });
    return (await r.screening.getReview(caller.orgId, uploadId))!;
  });
}

/**
 * A person's decision, appended as a new round: deciding a claimed item closes it; reversing
 * replaces the standing decision of any upload. The reason is required and kept.
 */
export async function reviewDecision(
  deps: Pick<ScreeningDeps, 'store' | 'clock'>,
  caller: Caller,
  uploadId: string,
  kind: 'decide' | 'reverse',
  input: { decision: string; reason: string },
): Promise<UploadView> {
  const decision = checkDecision(input.decision);
  if (!input.reason?.trim()) throw badUpload('give the reason for the decision');
  await deps.store.transaction(async (r) => {
    const upload = await r.screening.lockUpload(caller.orgId, uploadId);
    if (!upload) throw new LedgerlineError(ScreeningErrors.NOT_FOUND, `no upload ${uploadId}`, { uploadId });
    const item = await r.screening.getReview(caller.orgId, uploadId);
    // A held upload is decided by the reviewer who claimed it: two people never decide one item at once.
    if (kind === 'decide') {
      if (!item) throw new LedgerlineError(ScreeningErrors.NOT_FOUND, `upload ${uploadId} is not in the review queue`, { uploadId });
      if (item.state !== 'claimed' || item.claimedBy !== caller.actor) {
        const why = item.state === 'decided' ? 'already decided' : item.state === 'open' ? 'not claimed: claim it first (POST /v1/review/:id/claim)' : `claimed by ${item.claimedBy}`;
        throw new LedgerlineError(ScreeningErrors.REVIEW_CONFLICT, `upload ${uploadId} is ${why}`, { state: item.state, claimedBy: item.claimedBy });
      }
    }
    if (kind === 'reverse' && upload.status !== 'decided') throw new LedgerlineError(ScreeningErrors.REVIEW_CONFLICT, `upload ${uploadId} has no decision to reverse yet`);
    const previous = await r.screening.decisions(caller.orgId, uploadId);
    const last = previous.at(-1);
    const now = deps.clock.now().toISOString();
    await r.screening.insertDecision(caller.orgId, uploadId, {
      round: (last?.round ?? 0) + 1,
      source: 'review',
      decision,
      policyVersion: last?.policyVersion ?? 'review',
      signals: last?.signals ?? [],
      applied: [],
      facts: { previous: last ? { round: last.round, decision: last.decision } : null, kind },
      actor: caller.actor,
      reason: input.reason.trim(),
      decidedAt: now,
    });
    await r.screening.setOutcome(caller.orgId, uploadId, { status: 'decided', decision, error: null, at: now, notify: true });
    if (item && item.state !== 'decided') await r.screening.closeReview(caller.orgId, uploadId, now);
    await appendAudit(r.audit, deps.clock, {
      orgId: caller.orgId,
      actor: caller.actor,
      action: kind === 'decide' ? 'review.decide' : 'review.reverse',
      subject: `upload:${uploadId}`,
      data: { decision, reason: input.reason.trim(), previous: last?.decision ?? null },
    });
  });
  return getUpload(deps, caller, uploadId);
}

/** The uploader contests the standing decision: the upload goes back to the review queue. */
export async function appeal(deps: Pick<ScreeningDeps, 'store' | 'clock'>, caller: Caller, uploadId: string, reason: string): Promise<UploadView> {
  if (!reason?.trim()) throw badUpload('give the reason for the appeal');
  await deps.store.transaction(async (r) => {
    const upload = await r.screening.lockUpload(caller.orgId, uploadId);
    if (!upload) throw new LedgerlineError(ScreeningErrors.NOT_FOUND, `no upload ${uploadId}`, { uploadId });
    if (upload.status !== 'decided' || upload.decision === 'accept') throw new LedgerlineError(ScreeningErrors.REVIEW_CONFLICT, `upload ${uploadId} has no decision against it to appeal`);
    await r.screening.openReview(caller.orgId, uploadId, `appeal: ${reason.trim()}`, deps.clock.now().toISOString());
    await appendAudit(r.audit, deps.clock, { orgId: caller.orgId, actor: caller.actor, action: 'review.appeal', subject: `upload:${uploadId}`, data: { reason: reason.trim(), standing: upload.decision } });
  });
  return getUpload(deps, caller, uploadId);
}

export async function verifyUploader(deps: Pick<ScreeningDeps, 'store' | 'clock'>, caller: Caller, uploader: string, artistId: string): Promise<void> {
  await deps.store.transaction(async (r) => {
    if (!(await r.catalog.getArtist(caller.orgId, artistId))) throw new LedgerlineError(ScreeningErrors.NOT_FOUND, `no artist ${artistId}`, { artistId });
    await r.screening.verifyUploader(caller.orgId, uploader, artistId, deps.clock.now().toISOString());
    await appendAudit(r.audit, deps.clock, { orgId: caller.orgId, actor: caller.actor, action: 'uploader.verify', subject: `artist:${artistId}`, data: { uploader } });
  });
}

