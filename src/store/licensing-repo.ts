// LicensingStore over Kysely: licensees, licenses, signing keys, manifests with their entries,
// training runs and revocation notices.

import { sql, type Kysely, type Selectable } from 'kysely';
import type { Purpose, Use } from '../consent/index.ts';
import type { Fee, License, Licensee, LicensingStore, Manifest, ManifestHeader, TrainingRun } from '../licensing/index.ts';
import type { Database, LicensesTable, TrainingRunsTable } from './schema.ts';
import { iso, isUuid, parseJson } from './rows.ts';

const toLicense = (r: Selectable<LicensesTable>): License => ({
  id: r.id,
  orgId: r.org_id,
  licenseeId: r.licensee_id,
  uses: parseJson(r.uses) as Use[],
  territories: parseJson(r.territories) as string[],
  purpose: r.purpose as Purpose | null,
  validFrom: iso(r.valid_from)!,
  validUntil: iso(r.valid_until),
  fee: (parseJson(r.fee) as Fee | null) ?? null,
  createdAt: iso(r.created_at)!,
});

const toRun = (r: Selectable<TrainingRunsTable>): TrainingRun => ({
  id: r.id,
  orgId: r.org_id,
  manifestId: r.manifest_id,
  modelName: r.model_name,
  modelVersion: r.model_version,
  startedAt: iso(r.started_at)!,
  endedAt: iso(r.ended_at),
  registeredAt: iso(r.registered_at)!,
});

export function licensingRepo(db: Kysely<Database>): LicensingStore {
  const toLicensee = (r: { id: string; org_id: string; slug: string; name: string; created_at: Date }): Licensee => ({
    id: r.id,
    orgId: r.org_id,
    slug: r.slug,
    name: r.name,
    createdAt: iso(r.created_at)!,
  });
  return {
    async insertLicensee(orgId, input) {
      return toLicensee(await db.insertInto('licensees').values({ org_id: orgId, slug: input.slug, name: input.name }).returningAll().executeTakeFirstOrThrow());
    },
    async getLicensee(orgId, id) {
      if (!isUuid(id)) return null;
      const r = await db.selectFrom('licensees').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
      return r ? toLicensee(r) : null;
    },
    async findLicenseeBySlug(orgId, slug) {
      const r = await db.selectFrom('licensees').selectAll().where('org_id', '=', orgId).where('slug', '=', slug).executeTakeFirst();
      return r ? toLicensee(r) : null;
    },
    async listLicensees(orgId) {
      return (await db.selectFrom('licensees').selectAll().where('org_id', '=', orgId).orderBy('slug').execute()).map(toLicensee);
    },
    async insertLicense(orgId, l) {
      const row = await db
        .insertInto('licenses')
        .values({
          org_id: orgId,
          licensee_id: l.licenseeId,
          uses: JSON.stringify(l.uses),
          territories: JSON.stringify(l.territories),
          purpose: l.purpose,
          valid_from: l.validFrom,
          valid_until: l.validUntil,
          fee: l.fee ? JSON.stringify(l.fee) : null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toLicense(row);
    },
    async getLicense(orgId, id) {
      if (!isUuid(id)) return null;
      const r = await db.selectFrom('licenses').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
      return r ? toLicense(r) : null;
    },
    async listLicenses(orgId, licenseeId) {
      let q = db.selectFrom('licenses').selectAll().where('org_id', '=', orgId);
      if (licenseeId) q = q.where('licensee_id', '=', licenseeId);
      return (await q.orderBy('created_at').execute()).map(toLicense);
    },
    async datasetCandidates(orgId, f) {
      let q = db
        .selectFrom('tracks as t')
        .leftJoin('releases as r', 'r.id', 't.release_id')
        .select(['t.id', 't.isrc', 't.content_hash', 't.duration_ms'])
        .where('t.org_id', '=', orgId);
      if (f.genre !== undefined) q = q.where(sql<boolean>`lower(coalesce(t.genre, r.genre)) = lower(${f.genre})`);
      if (f.minDurationMs !== undefined) q = q.where('t.duration_ms', '>=', f.minDurationMs);
      if (f.maxDurationMs !== undefined) q = q.where('t.duration_ms', '<=', f.maxDurationMs);
      if (f.releasedAfter !== undefined) q = q.where(sql<boolean>`r.release_date >= ${f.releasedAfter}::date`);
      if (f.releasedBefore !== undefined) q = q.where(sql<boolean>`r.release_date < ${f.releasedBefore}::date`);
      if (f.excludeAi) q = q.where(sql<boolean>`coalesce(t.contains_ai, r.contains_ai, 'None') = 'None'`);
      const rows = await q.orderBy('t.isrc').orderBy('t.id').execute();
      return rows.map((r) => ({ trackId: r.id, isrc: r.isrc, contentHash: r.content_hash, durationMs: r.duration_ms }));
    },
    async registerPublicKey(k) {
      await db.insertInto('signing_keys').values({ id: k.id, public_key: k.publicKeyPem, private_key: null }).onConflict((oc) => oc.column('id').doNothing()).execute();
    },
    async legacyPrivateKeys() {
      const rows = await db.selectFrom('signing_keys').select(['id', 'private_key', 'created_at']).where('private_key', 'is not', null).execute();
      return rows.map((r) => ({ id: r.id, privateKeyPem: r.private_key!, createdAt: new Date(r.created_at).toISOString() }));
    },
    async forgetPrivateKeys(ids) {
      if (ids.length) await db.updateTable('signing_keys').set({ private_key: null }).where('id', 'in', ids).execute();
    },
    async publicKeys() {
      const rows = await db.selectFrom('signing_keys').select(['id', 'public_key', 'created_at']).orderBy('created_at', 'desc').execute();
      return rows.map((r) => ({ id: r.id, publicKeyPem: r.public_key, createdAt: iso(r.created_at)! }));
    },
    async insertManifest(orgId, licenseeId, m, trackIds) {
      const h = m.header;
      await db
        .insertInto('manifests')
        .values({ id: h.id, org_id: orgId, license_id: h.license, licensee_id: licenseeId, header: JSON.stringify(h), root: h.root, key_id: h.keyId, signature: m.signature, issued_at: h.issuedAt })
        .execute();
      for (let i = 0; i < m.entries.length; i += 2000) {
        await db
          .insertInto('manifest_entries')
          .values(
            m.entries.slice(i, i + 2000).map((e, k) => ({
              manifest_id: h.id,
              position: i + k,
              track_id: trackIds[i + k]!,
              isrc: e.isrc,
              content_hash: e.contentHash,
              duration_ms: e.durationMs,
              consent_version: e.consentVersion,
            })),
          )
          .execute();
      }
    },
    async getManifest(orgId, id) {
      if (!isUuid(id)) return null;
      const m = await db.selectFrom('manifests').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
      if (!m) return null;
      const rows = await db.selectFrom('manifest_entries').selectAll().where('manifest_id', '=', id).orderBy('position').execute();
      const manifest: Manifest = {
        header: parseJson(m.header) as ManifestHeader,
        signature: m.signature,
        entries: rows.map((r) => ({ isrc: r.isrc, contentHash: r.content_hash, durationMs: r.duration_ms, consentVersion: Number(r.consent_version) })),
      };
      return { manifest, licenseeId: m.licensee_id };
    },
    async listManifests(orgId, licenseeId) {
      let q = db.selectFrom('manifests').select(['header', 'licensee_id']).where('org_id', '=', orgId);
      if (licenseeId) q = q.where('licensee_id', '=', licenseeId);
      return (await q.orderBy('issued_at').execute()).map((r) => ({ header: parseJson(r.header) as ManifestHeader, licenseeId: r.licensee_id }));
    },
    async issuedEntries(orgId, trackIds, uses) {
      if (trackIds.length === 0) return [];
      const out = [];
      for (let i = 0; i < trackIds.length; i += 5000) {
        const rows = await db
          .selectFrom('manifest_entries as e')
          .innerJoin('manifests as m', 'm.id', 'e.manifest_id')
          .select(['e.manifest_id', 'm.licensee_id', 'm.header', 'e.track_id', 'e.isrc'])
          .where('m.org_id', '=', orgId)
          .where('e.track_id', 'in', trackIds.slice(i, i + 5000))
          .where(sql<boolean>`m.header->>'use' in (${sql.join(uses)})`)
          .execute();
        for (const r of rows) out.push({ manifestId: r.manifest_id, licenseeId: r.licensee_id, header: parseJson(r.header) as ManifestHeader, trackId: r.track_id, isrc: r.isrc });
      }
      return out;
    },
    async insertRun(run) {
      const row = await db
        .insertInto('training_runs')
        .values({
          org_id: run.orgId,
          manifest_id: run.manifestId,
          model_name: run.modelName,
          model_version: run.modelVersion,
          started_at: run.startedAt,
          ended_at: run.endedAt,
          registered_at: run.registeredAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRun(row);
    },
    async runsOf(orgId, manifestIds) {
      if (manifestIds.length === 0) return [];
      return (await db.selectFrom('training_runs').selectAll().where('org_id', '=', orgId).where('manifest_id', 'in', manifestIds).orderBy('registered_at').execute()).map(toRun);
    },
    async getRun(orgId, id) {
      if (!isUuid(id)) return null;
      const row = await db.selectFrom('training_runs').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
      return row ? toRun(row) : null;
    },
    async manifestTracks(manifestId) {
      const entries = await db.selectFrom('manifest_entries').select('track_id').where('manifest_id', '=', manifestId).orderBy('position').execute();
      const revoked = await db.selectFrom('revocation_notices').select('track_id').distinct().where('manifest_id', '=', manifestId).execute();
      return { trackIds: entries.map((e) => e.track_id), revokedTrackIds: revoked.map((r) => r.track_id) };
    },
    async insertNotices(notices) {
      if (notices.length === 0) return 0;
      const rows = await db
        .insertInto('revocation_notices')
        .values(
          notices.map((n) => ({
            org_id: n.orgId,
            licensee_id: n.licenseeId,
            manifest_id: n.manifestId,
            track_id: n.trackId,
            isrc: n.isrc,
            use: n.use,
            consent_version: n.consentVersion,
            effective_at: n.effectiveAt,
            reason: n.reason,
            created_at: n.createdAt,
          })),
        )
        .onConflict((oc) => oc.constraint('revocation_once').doNothing())
        .returning('id')
        .execute();
      return rows.length;
    },
    async listNotices(orgId, licenseeId, afterId, limit) {
      let q = db
        .selectFrom('revocation_notices as n')
        .innerJoin('licensees as l', 'l.id', 'n.licensee_id')
        .select(['n.id', 'l.slug', 'n.manifest_id', 'n.isrc', 'n.use', 'n.effective_at', 'n.reason', 'n.created_at'])
        .where('n.org_id', '=', orgId)
        .where('n.id', '>', afterId);
      if (licenseeId) q = q.where('n.licensee_id', '=', licenseeId);
      const rows = await q.orderBy('n.id').limit(limit).execute();
      return rows.map((r) => ({
        id: Number(r.id),
        licensee: r.slug,
        manifestId: r.manifest_id,
        isrc: r.isrc,
        use: r.use as Use,
        effectiveAt: iso(r.effective_at)!,
        reason: r.reason,
        createdAt: iso(r.created_at)!,
      }));
    },
  };
}
