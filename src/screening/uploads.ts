// Reading uploads: one with every decision round and its review, or a page of them.

import { LedgerlineError, type Caller } from '../shared/index.ts';
import type { ScreeningDeps } from './deps.ts';
import { ScreeningErrors } from './errors.ts';
import type { UploadFilter } from './store.ts';
import { redactUrl } from './webhook-target.ts';
import type { DecisionRecord, ReviewItem, ScreeningDecision, Upload, UploadStatus } from './types.ts';

export interface UploadView extends Upload {
  decisions: DecisionRecord[];
  review: ReviewItem | null;
}

/** An upload as callers see it: a webhook's credentials are never shown back. */
export const shown = <U extends Upload>(u: U): U => ({ ...u, webhookUrl: u.webhookUrl && redactUrl(u.webhookUrl) });

export async function getUpload(deps: Pick<ScreeningDeps, 'store'>, caller: Caller, id: string): Promise<UploadView> {
  const r = deps.store.repos.screening;
  const upload = await r.getUpload(caller.orgId, id);
  if (!upload) throw new LedgerlineError(ScreeningErrors.NOT_FOUND, `no upload ${id}`, { id });
  return { ...shown(upload), decisions: await r.decisions(caller.orgId, id), review: await r.getReview(caller.orgId, id) };
}

/**
 * The organisation's uploads, newest first, filtered by uploader, status or decision; `after`
 * (an upload id, usually the last of the previous page) continues the listing.
 */
export async function listUploads(
  deps: Pick<ScreeningDeps, 'store'>,
  caller: Caller,
  query: { uploader?: string; status?: UploadStatus; decision?: ScreeningDecision; after?: string },
  limit: number,
): Promise<Upload[]> {
  const r = deps.store.repos.screening;
  let after: UploadFilter['after'];
  if (query.after) {
    const last = await r.getUpload(caller.orgId, query.after);
    if (!last) throw new LedgerlineError(ScreeningErrors.NOT_FOUND, `no upload ${query.after} to continue the listing after`, { id: query.after });
    after = { receivedAt: last.receivedAt, id: last.id };
  }
  return (await r.listUploads(caller.orgId, { uploader: query.uploader, status: query.status, decision: query.decision, after }, limit)).map(shown);
}
