// Taking uploads in: the metadata checked (and filled from a DDEX announcement of the ISRC), the
// bytes kept, the upload recorded and audit-logged, its screening queued once per round; a
// rescreen queues a new round.

import { appendAudit } from '../audit/index.ts';
import { LedgerlineError, type Caller } from '../shared/index.ts';
import type { ScreeningDeps } from './deps.ts';
import { badUpload, ScreeningErrors } from './errors.ts';
import { CONTAINS_AI } from '../catalog/index.ts';
import { readErn, type ErnMessage } from '../catalog/ddex/index.ts';
import { PERSONAL_USES } from '../consent/index.ts';
import { plainName } from './names.ts';
import { screenJob } from './screen-job.ts';
import type { ScreenPayload } from './job-types.ts';
import type { Announcement } from './store.ts';
import type { Upload, UploadMetadata } from './types.ts';
import { shown } from './uploads.ts';
import { checkWebhookUrl } from './webhook-target.ts';

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

function checkMetadata(input: UploadInput): UploadMetadata {
  const containsAi = input.containsAi ?? null;
  if (containsAi !== null && !(CONTAINS_AI as readonly string[]).includes(containsAi)) throw badUpload('containsAi must be All, Partly or None', { containsAi });
  const im = input.imitates ?? null;
  if (im && (!im.artist || !(PERSONAL_USES as readonly string[]).includes(im.use))) throw badUpload(`imitates needs an artist and a use of ${PERSONAL_USES.join(' or ')}`);
  return { containsAi: containsAi as UploadMetadata['containsAi'], imitates: im ? { artist: im.artist, use: im.use as NonNullable<UploadMetadata['imitates']>['use'] } : null, isrc: input.isrc ?? null };
}

const screenKey = (uploadId: string, round: number) => `screen:${uploadId}:${round}`;

/**
 * Records what a DDEX message says about the recordings it announces, so their uploads can name
 * just the ISRC; returns the ISRCs announced.
 */
export async function announceDdex(deps: Pick<ScreeningDeps, 'store' | 'clock'>, caller: Caller, message: Uint8Array | string | ErnMessage): Promise<{ messageId: string; isrcs: string[] }> {
  const msg = typeof message === 'string' || message instanceof Uint8Array ? readErn(message) : message;
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
      throw badUpload(`${field} "${given}" contradicts DDEX message ${a.messageId}, which says "${announced}" for ${isrc}`, { field, given, announced });
    }
  };
  clash('title', input.title, a.title);
  clash('artist', input.artist, a.artist);
  clash('containsAi', input.containsAi, a.containsAi);
  return { ...input, isrc, title: input.title || a.title, artist: input.artist ?? a.artist, containsAi: input.containsAi ?? a.containsAi };
}

/**
 * Receives an upload and queues its screening; the same client key returns the same upload. A
 * new upload with a webhook comes back with the secret its deliveries are signed with, once.
 */
export async function receiveUpload(deps: ScreeningDeps, caller: Caller, bytes: Uint8Array, input: UploadInput): Promise<Upload & { webhookSecret?: string }> {
  if (bytes.byteLength === 0) throw badUpload('the upload is empty');
  if (!input.uploader || input.uploader.length > 200) throw badUpload('name the uploader (1-200 characters)');
  input = await withAnnouncement(deps, caller, input);
  const title = input.title;
  if (!title || title.length > 1000) throw badUpload('name the title (1-1000 characters), or the ISRC of a recording a DDEX message announced');
  const metadata = checkMetadata(input);
  const webhookUrl = input.webhookUrl ? checkWebhookUrl(input.webhookUrl, deps.webhookTargets) : null;
  const { path, hash } = await deps.blobs.put(bytes);
  const now = deps.clock.now().toISOString();
  const { upload, created } = await deps.store.transaction(async (r) => {
    const res = await r.screening.insertUpload({
      id: deps.newId(),
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
  return created && upload.webhookUrl ? { ...shown(upload), webhookSecret: await deps.webhookSecret(upload.id) } : shown(upload);
}

/** Queues one screening round of an upload; the key makes a repeat add nothing. */
export function enqueueScreening(deps: ScreeningDeps, upload: Upload, round: number, path = deps.blobs.pathOf(upload.contentHash)) {
  const payload: ScreenPayload = { orgId: upload.orgId, uploadId: upload.id, path, round };
  return deps.queue.enqueue(screenJob.name, payload, { idempotencyKey: screenKey(upload.id, round), maxAttempts: screenJob.maxAttempts });
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
