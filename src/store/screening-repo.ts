// ScreeningStore over Kysely: uploads, their decisions, the review queue and verified uploaders.

import { sql, type Kysely, type Selectable } from 'kysely';
import type { Announcement, DecisionRecord, ReviewItem, ScreeningDecision, ScreeningStore, Upload, UploadMetadata, UploadStatus } from '../screening/index.ts';
import type { Database, ReviewItemsTable, UploadsTable } from './schema.ts';
import { iso, isUuid, parseJson } from './rows.ts';

const toUpload = (r: Selectable<UploadsTable>): Upload => ({
  id: r.id,
  orgId: r.org_id,
  uploader: r.uploader,
  clientKey: r.client_key,
  title: r.title,
  artist: r.artist,
  metadata: parseJson(r.metadata) as UploadMetadata,
  contentHash: r.content_hash,
  bytes: Number(r.bytes),
  status: r.status as UploadStatus,
  decision: r.decision as ScreeningDecision | null,
  error: r.error,
  webhookUrl: r.webhook_url,
  webhookState: r.webhook_state as Upload['webhookState'],
  webhookAttempts: r.webhook_attempts,
  receivedAt: iso(r.received_at)!,
  decidedAt: iso(r.decided_at),
});

const toReview = (r: Selectable<ReviewItemsTable>): ReviewItem => ({
  uploadId: r.upload_id,
  state: r.state as ReviewItem['state'],
  reason: r.reason,
  claimedBy: r.claimed_by,
  claimedAt: iso(r.claimed_at),
  openedAt: iso(r.opened_at)!,
  closedAt: iso(r.closed_at),
});

export function screeningRepo(db: Kysely<Database>): ScreeningStore {
  const byId = (orgId: string, id: string) => db.selectFrom('uploads').selectAll().where('org_id', '=', orgId).where('id', '=', id);
  return {
    async insertUpload(u) {
      const row = await db
        .insertInto('uploads')
        .values({
          id: u.id,
          org_id: u.orgId,
          uploader: u.uploader,
          client_key: u.clientKey,
          title: u.title,
          artist: u.artist,
          metadata: JSON.stringify(u.metadata),
          content_hash: u.contentHash,
          bytes: u.bytes,
          status: 'queued',
          webhook_url: u.webhookUrl,
          webhook_state: null,
          received_at: u.receivedAt,
        })
        .onConflict((oc) => oc.constraint('uploads_client_key').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (row) return { upload: toUpload(row), created: true };
      const existing = await db.selectFrom('uploads').selectAll().where('org_id', '=', u.orgId).where('uploader', '=', u.uploader).where('client_key', '=', u.clientKey).executeTakeFirstOrThrow();
      return { upload: toUpload(existing), created: false };
    },
    async getUpload(orgId, id) {
      if (!isUuid(id)) return null;
      const r = await byId(orgId, id).executeTakeFirst();
      return r ? toUpload(r) : null;
    },
    async lockUpload(orgId, id) {
      if (!isUuid(id)) return null;
      const r = await byId(orgId, id).forUpdate().executeTakeFirst();
      return r ? toUpload(r) : null;
    },
    async setOutcome(orgId, id, o) {
      await db
        .updateTable('uploads')
        .set({ status: o.status, decision: o.decision, error: o.error, decided_at: o.at, ...(o.notify ? { webhook_state: sql`case when webhook_url is null then null else 'pending' end` } : {}) })
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .execute();
    },
    async insertDecision(orgId, uploadId, d) {
      await db
        .insertInto('screening_decisions')
        .values({
          org_id: orgId,
          upload_id: uploadId,
          round: d.round,
          source: d.source,
          decision: d.decision,
          policy_version: d.policyVersion,
          signals: JSON.stringify(d.signals),
          applied: JSON.stringify(d.applied),
          facts: JSON.stringify(d.facts),
          actor: d.actor,
          reason: d.reason,
          decided_at: d.decidedAt,
        })
        .execute();
    },
    async decisions(orgId, uploadId) {
      if (!isUuid(uploadId)) return [];
      const rows = await db.selectFrom('screening_decisions').selectAll().where('org_id', '=', orgId).where('upload_id', '=', uploadId).orderBy('round').execute();
      return rows.map((r) => ({
        round: r.round,
        source: r.source as DecisionRecord['source'],
        decision: r.decision as ScreeningDecision,
        policyVersion: r.policy_version,
        signals: parseJson(r.signals) as DecisionRecord['signals'],
        applied: parseJson(r.applied) as unknown[],
        facts: parseJson(r.facts) as Record<string, unknown>,
        actor: r.actor,
        reason: r.reason,
        decidedAt: iso(r.decided_at)!,
      }));
    },
    async recentByUploader(orgId, uploader, since, contentHash, excludeId) {
      const count = await db
        .selectFrom('uploads')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('org_id', '=', orgId)
        .where('uploader', '=', uploader)
        .where('received_at', '>=', new Date(since))
        .executeTakeFirst();
      const same = await db
        .selectFrom('uploads')
        .select(['id', 'title', 'uploader'])
        .where('org_id', '=', orgId)
        .where('content_hash', '=', contentHash)
        .where('id', '!=', excludeId)
        .orderBy('received_at')
        .limit(50)
        .execute();
      return { count: Number(count?.n ?? 0), sameAudio: same.map((r) => ({ uploadId: r.id, uploader: r.uploader, title: r.title })) };
    },
    async saveFingerprint(orgId, u, packed) {
      await db
        .insertInto('upload_fingerprints')
        .values({ upload_id: u.id, org_id: orgId, uploader: u.uploader, received_at: u.receivedAt, packed })
        .onConflict((oc) => oc.column('upload_id').doNothing())
        .execute();
    },
    async recentFingerprints(orgId, since, excludeId, limit) {
      const rows = await db
        .selectFrom('upload_fingerprints as f')
        .innerJoin('uploads as u', 'u.id', 'f.upload_id')
        .select(['f.upload_id', 'u.title', 'u.uploader', 'f.packed'])
        .where('f.org_id', '=', orgId)
        .where('f.received_at', '>=', new Date(since))
        .where('f.upload_id', '!=', excludeId)
        .orderBy('f.received_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ uploadId: r.upload_id, uploader: r.uploader, title: r.title, packed: new Uint8Array(r.packed) }));
    },
    async announce(orgId, items, at) {
      for (const a of items) {
        await db
          .insertInto('upload_announcements')
          .values({ org_id: orgId, isrc: a.isrc, message_id: a.messageId, title: a.title, artist: a.artist, contains_ai: a.containsAi, received_at: at })
          .onConflict((oc) => oc.columns(['org_id', 'isrc']).doUpdateSet({ message_id: a.messageId, title: a.title, artist: a.artist, contains_ai: a.containsAi, received_at: at }))
          .execute();
      }
    },
    async announcement(orgId, isrc) {
      const r = await db.selectFrom('upload_announcements').selectAll().where('org_id', '=', orgId).where('isrc', '=', isrc).executeTakeFirst();
      return r ? { isrc: r.isrc, messageId: r.message_id, title: r.title, artist: r.artist, containsAi: r.contains_ai as Announcement['containsAi'] } : null;
    },
    async verifiedArtists(orgId, uploader) {
      const rows = await db.selectFrom('verified_uploaders').select('artist_id').where('org_id', '=', orgId).where('uploader', '=', uploader).execute();
      return rows.map((r) => r.artist_id);
    },
    async verifyUploader(orgId, uploader, artistId, at) {
      await db.insertInto('verified_uploaders').values({ org_id: orgId, uploader, artist_id: artistId, verified_at: at }).onConflict((oc) => oc.doNothing()).execute();
    },
    async listUploads(orgId, filter, limit) {
      let q = db.selectFrom('uploads').selectAll().where('org_id', '=', orgId);
      if (filter.uploader) q = q.where('uploader', '=', filter.uploader);
      if (filter.status) q = q.where('status', '=', filter.status);
      if (filter.decision) q = q.where('decision', '=', filter.decision);
      const after = filter.after;
      if (after) {
        const at = new Date(after.receivedAt);
        q = q.where((eb) => eb.or([eb('received_at', '<', at), eb.and([eb('received_at', '=', at), eb('id', '<', after.id)])]));
      }
      return (await q.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(limit).execute()).map(toUpload);
    },
    async queuedBefore(orgId, before, limit) {
      let q = db.selectFrom('uploads').selectAll().where('status', '=', 'queued').where('received_at', '<', new Date(before));
      if (orgId) q = q.where('org_id', '=', orgId);
      return (await q.orderBy('received_at').limit(limit).execute()).map(toUpload);
    },
    async openReview(orgId, uploadId, reason, at) {
      await db
        .insertInto('review_items')
        .values({ upload_id: uploadId, org_id: orgId, state: 'open', reason, opened_at: at })
        .onConflict((oc) => oc.column('upload_id').doUpdateSet({ state: 'open', reason, claimed_by: null, claimed_at: null, opened_at: at, closed_at: null }))
        .execute();
    },
    async getReview(orgId, uploadId) {
      if (!isUuid(uploadId)) return null;
      const r = await db.selectFrom('review_items').selectAll().where('org_id', '=', orgId).where('upload_id', '=', uploadId).executeTakeFirst();
      return r ? toReview(r) : null;
    },
    async listReview(orgId, states, limit) {
      const items = await db.selectFrom('review_items').selectAll().where('org_id', '=', orgId).where('state', 'in', states).orderBy('opened_at').limit(limit).execute();
      if (items.length === 0) return [];
      const uploads = await db.selectFrom('uploads').selectAll().where('id', 'in', items.map((i) => i.upload_id)).execute();
      const byUpload = new Map(uploads.map((u) => [u.id, toUpload(u)]));
      return items.map((i) => ({ ...toReview(i), upload: byUpload.get(i.upload_id)! }));
    },
    async claimReview(orgId, uploadId, by, at) {
      const r = await db
        .updateTable('review_items')
        .set({ state: 'claimed', claimed_by: by, claimed_at: at })
        .where('org_id', '=', orgId)
        .where('upload_id', '=', uploadId)
        .where((eb) => eb.or([eb('state', '=', 'open'), eb.and([eb('state', '=', 'claimed'), eb('claimed_by', '=', by)])]))
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    async closeReview(orgId, uploadId, at) {
      await db.updateTable('review_items').set({ state: 'decided', closed_at: at }).where('org_id', '=', orgId).where('upload_id', '=', uploadId).execute();
    },
    async pendingWebhooks(limit) {
      return (await db.selectFrom('uploads').selectAll().where('webhook_state', '=', 'pending').orderBy('decided_at').limit(limit).execute()).map(toUpload);
    },
    async recordWebhook(id, state) {
      await db.updateTable('uploads').set({ webhook_state: state, webhook_attempts: sql`webhook_attempts + 1` }).where('id', '=', id).execute();
    },
  };
}
