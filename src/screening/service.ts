// Screening operations: receive an upload (kept by content hash in the uploads directory,
// queued once per upload), read it with every decision, work the review queue (claim, decide,
// reverse, appeal), send decisions to webhooks, and hand queued uploads to the queue again
// after a crash. Every change is audit-logged; decisions are appended, never rewritten.

import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { appendAudit } from '../audit/index.ts';
import type { JobQueue } from '../jobs/index.ts';
import { LedgerlineError, type Caller, type Clock, type Transactor } from '../shared/index.ts';
import type { ScreeningRepos } from './decide.ts';
import { ScreeningErrors } from './errors.ts';
import { screenJob, type ScreenPayload } from './screen-job.ts';
import { DECISIONS, type DecisionRecord, type ReviewItem, type ScreeningDecision, type Upload, type UploadMetadata, type UploadStatus } from './types.ts';
import { CONTAINS_AI } from '../catalog/index.ts';
import { readErn } from '../catalog/ddex/index.ts';
import { PERSONAL_USES } from '../consent/index.ts';
import { plainName } from './names.ts';
import type { Announcement, UploadFilter } from './store.ts';

export interface ScreeningDeps {
  store: Transactor<ScreeningRepos>;
  clock: Clock;
  queue: JobQueue;
  /** Where uploads are kept, by content hash; every worker must reach it. */
  uploadsDir: string;
}

export interface UploadInput {
  uploader: string;
  /** Required unless the ISRC was announced in a DDEX message. */
  title?: string | null;
  artist?: string | null;
  clientKey?: string | null;
  containsAi?: string | null;
  imitates?: { artist: string; use: string } | null;
  isrc?: string | null;
  webhookUrl?: string | null;
}

function bad(message: string, details: Record<string, unknown> = {}) {
  return new LedgerlineError(ScreeningErrors.BAD_UPLOAD, message, details);
}

function checkMetadata(input: UploadInput): UploadMetadata {
  const containsAi = input.containsAi ?? null;
  if (containsAi !== null && !(CONTAINS_AI as readonly string[]).includes(containsAi)) throw bad('containsAi must be All, Partly or None', { containsAi });
  const im = input.imitates ?? null;
  if (im && (!im.artist || !(PERSONAL_USES as readonly string[]).includes(im.use))) throw bad(`imitates needs an artist and a use of ${PERSONAL_USES.join(' or ')}`);
  return { containsAi: containsAi as UploadMetadata['containsAi'], imitates: im ? { artist: im.artist, use: im.use as NonNullable<UploadMetadata['imitates']>['use'] } : null, isrc: input.isrc ?? null };
}

function checkWebhook(url: string | null | undefined): string | null {
  if (!url) return null;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw bad(`webhook "${url}" is not a URL`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw bad('webhook must be http(s)');
  return u.toString();
}

/** Where the bytes with this SHA-256 are kept. */
export const uploadPath = (dir: string, hash: string) => join(dir, hash.slice(0, 2), hash);

/**
 * Keeps the bytes under their SHA-256, written atomically and flushed to disk before the upload
 * is recorded, so a recorded upload always has its audio after a crash; the same audio is kept once.
 */
async function keep(dir: string, bytes: Uint8Array): Promise<{ path: string; hash: string }> {
  const hash = createHash('sha256').update(bytes).digest('hex');
  const path = uploadPath(dir, hash);
  const folder = dirname(path);
  if (!(await stat(path).catch(() => null))) {
    await mkdir(folder, { recursive: true });
    const tmp = `${path}.${process.pid}.${randomUUID()}.part`;
    const file = await open(tmp, 'w');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, path);
    // The rename itself is durable once the folder's entry is flushed.
    const entry = await open(folder, 'r');
    try {
      await entry.sync();
    } finally {
      await entry.close();
    }
  }
  return { path, hash };
}

const screenKey = (uploadId: string, round: number) => `screen:${uploadId}:${round}`;

/**
 * Records what a DDEX message says about the recordings it announces, so their uploads can name
 * just the ISRC; returns the ISRCs announced.
 */
export async function announceDdex(deps: Pick<ScreeningDeps, 'store' | 'clock'>, caller: Caller, xml: Uint8Array | string): Promise<{ messageId: string; isrcs: string[] }> {
  const msg = readErn(xml);
  const items: Announcement[] = [];
  for (const rel of msg.releases) {
    for (const ref of rel.recordings) {
      const rec = msg.recordings.find((r) => r.reference === ref);
      if (!rec?.isrc) continue;
      items.push({ isrc: rec.isrc, messageId: msg.messageId, title: rec.title, artist: rec.displayArtist ?? rel.displayArtist, containsAi: rec.containsAi ?? (rel.containsAi === 'Partly' ? null : rel.containsAi) });
    }
  }
  await deps.store.transaction(async (r) => {
    await r.screening.announce(caller.orgId, items, deps.clock.now().toISOString());
    await appendAudit(r.audit, deps.clock, { orgId: caller.orgId, actor: caller.actor, action: 'upload.announce', subject: `ddex:${msg.messageId}`, data: { isrcs: items.map((i) => i.isrc) } });
  });
  return { messageId: msg.messageId, isrcs: items.map((i) => i.isrc) };
}

/** Fills an upload's metadata from the DDEX announcement of its ISRC; a field that contradicts it is refused. */
async function withAnnouncement(deps: Pick<ScreeningDeps, 'store'>, caller: Caller, input: UploadInput): Promise<UploadInput> {
  if (!input.isrc) return input;
  const isrc = input.isrc.replace(/-/g, '').toUpperCase();
  const a = await deps.store.repos.screening.announcement(caller.orgId, isrc);
  if (!a) return { ...input, isrc };
  const clash = (field: string, given: string | null | undefined, announced: string | null) => {
    if (given && announced && plainName(given) !== plainName(announced)) {
      throw bad(`${field} "${given}" contradicts DDEX message ${a.messageId}, which says "${announced}" for ${isrc}`, { field, given, announced });
    }
  };
  clash('title', input.title, a.title);
  clash('artist', input.artist, a.artist);
  clash('containsAi', input.containsAi, a.containsAi);
  return { ...input, isrc, title: input.title || a.title, artist: input.artist ?? a.artist, containsAi: input.containsAi ?? a.containsAi };
}

/** Receives an upload and queues its screening; the same client key returns the same upload. */
export async function receiveUpload(deps: ScreeningDeps, caller: Caller, bytes: Uint8Array, input: UploadInput): Promise<Upload> {
  if (bytes.byteLength === 0) throw bad('the upload is empty');
  if (!input.uploader || input.uploader.length > 200) throw bad('name the uploader (1-200 characters)');
  input = await withAnnouncement(deps, caller, input);
  const title = input.title;
  if (!title || title.length > 1000) throw bad('name the title (1-1000 characters), or the ISRC of a recording a DDEX message announced');
  const metadata = checkMetadata(input);
  const webhookUrl = checkWebhook(input.webhookUrl);
  const { path, hash } = await keep(deps.uploadsDir, bytes);
  const now = deps.clock.now().toISOString();
  const { upload, created } = await deps.store.transaction(async (r) => {
    const res = await r.screening.insertUpload({
      id: randomUUID(),
      orgId: caller.orgId,
      uploader: input.uploader,
      clientKey: input.clientKey ?? null,
      title,
      artist: input.artist ?? null,
      metadata,
      contentHash: hash,
      bytes: bytes.byteLength,
      webhookUrl,
      receivedAt: now,
    });
    if (res.created) {
      await appendAudit(r.audit, deps.clock, {
        orgId: caller.orgId,
        actor: caller.actor,
        action: 'upload.receive',
        subject: `upload:${res.upload.id}`,
        data: { uploader: input.uploader, title, artist: input.artist ?? null, contentHash: hash, bytes: bytes.byteLength, metadata },
      });
    }
    return res;
  });
  // Queued after the commit; the key makes a repeat (or the crash sweep) add nothing.
  if (created || upload.status === 'queued') await enqueueScreening(deps, upload, 1, path);
  return upload;
}

function enqueueScreening(deps: ScreeningDeps, upload: Upload, round: number, path = uploadPath(deps.uploadsDir, upload.contentHash)) {
  const payload: ScreenPayload = { orgId: upload.orgId, uploadId: upload.id, path, round };
  return deps.queue.enqueue(screenJob.name, payload, { idempotencyKey: screenKey(upload.id, round), maxAttempts: screenJob.maxAttempts });
}

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

/** Screens an upload again (say, under a new policy): a new round and a new decision; earlier ones stay. */
export async function rescreen(deps: ScreeningDeps, caller: Caller, uploadId: string): Promise<Upload> {
  const upload = await deps.store.transaction(async (r) => {
    const u = await r.screening.lockUpload(caller.orgId, uploadId);
    if (!u) throw new LedgerlineError(ScreeningErrors.NOT_FOUND, `no upload ${uploadId}`, { uploadId });
    if (u.status === 'queued') throw new LedgerlineError(ScreeningErrors.REVIEW_CONFLICT, `upload ${uploadId} is still being screened`);
    await r.screening.setOutcome(caller.orgId, uploadId, { status: 'queued', decision: u.decision, error: null, at: deps.clock.now().toISOString(), notify: false });
    await appendAudit(r.audit, deps.clock, { orgId: caller.orgId, actor: caller.actor, action: 'screening.rescreen', subject: `upload:${uploadId}`, data: {} });
    return u;
  });
  const round = ((await deps.store.repos.screening.decisions(caller.orgId, uploadId)).at(-1)?.round ?? 0) + 1;
  await enqueueScreening(deps, upload, round);
  return (await deps.store.repos.screening.getUpload(caller.orgId, uploadId))!;
}

export interface UploadView extends Upload {
  decisions: DecisionRecord[];
  review: ReviewItem | null;
}

export async function getUpload(deps: Pick<ScreeningDeps, 'store'>, caller: Caller, id: string): Promise<UploadView> {
  const r = deps.store.repos.screening;
  const upload = await r.getUpload(caller.orgId, id);
  if (!upload) throw new LedgerlineError(ScreeningErrors.NOT_FOUND, `no upload ${id}`, { id });
  return { ...upload, decisions: await r.decisions(caller.orgId, id), review: await r.getReview(caller.orgId, id) };
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
  return r.listUploads(caller.orgId, { uploader: query.uploader, status: query.status, decision: query.decision, after }, limit);
}

// ---- the review queue ----

function checkDecision(raw: string): ScreeningDecision {
  if (!(DECISIONS as readonly string[]).includes(raw)) throw bad(`decision must be one of ${DECISIONS.join(', ')}`, { decision: raw });
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
  if (!input.reason?.trim()) throw bad('give the reason for the decision');
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
  if (!reason?.trim()) throw bad('give the reason for the appeal');
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
