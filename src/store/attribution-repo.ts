// AttributionStore over Kysely: outputs, versioned attributions and per-track shares.

import { sql, type Kysely, type Selectable } from 'kysely';
import type { AttributionStore, OutputRecord } from '../attribution/store.ts';
import type { AttributionResult } from '../attribution/types.ts';
import { iso, isUuid, parseJson } from './rows.ts';
import type { Database, OutputsTable } from './schema.ts';

function toOutput(r: Selectable<OutputsTable>): OutputRecord {
  return {
    id: r.id,
    orgId: r.org_id,
    licenseeId: r.licensee_id,
    runId: r.run_id,
    title: r.title,
    externalId: r.external_id,
    contentHash: r.content_hash,
    durationMs: r.duration_ms,
    status: r.status,
    error: r.error,
    createdBy: r.created_by,
    createdAt: iso(r.created_at)!,
  };
}

export function attributionRepo(db: Kysely<Database>): AttributionStore {
  return {
    async insertOutput(o) {
      await db
        .insertInto('outputs')
        .values({
          id: o.id,
          org_id: o.orgId,
          licensee_id: o.licenseeId,
          run_id: o.runId,
          title: o.title,
          external_id: o.externalId,
          content_hash: o.contentHash,
          duration_ms: o.durationMs,
          status: o.status,
          error: o.error,
          created_by: o.createdBy,
          created_at: o.createdAt,
        })
        .execute();
    },
    async getOutput(orgId, id) {
      if (!isUuid(id)) return null;
      const r = await db.selectFrom('outputs').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
      return r ? toOutput(r) : null;
    },
    async findOutput(orgId, runId, contentHash) {
      let q = db.selectFrom('outputs').selectAll().where('org_id', '=', orgId).where('content_hash', '=', contentHash);
      q = runId ? q.where('run_id', '=', runId) : q.where('run_id', 'is', null);
      const r = await q.orderBy('created_at').executeTakeFirst();
      return r ? toOutput(r) : null;
    },
    async finishOutput(id, status, durationMs, error) {
      await db.updateTable('outputs').set({ status, duration_ms: durationMs, error }).where('id', '=', id).execute();
    },
    async insertAttribution(a, tracks) {
      const last = await db.selectFrom('attributions').select(sql<number>`coalesce(max(version), 0)`.as('v')).where('output_id', '=', a.outputId).executeTakeFirstOrThrow();
      const version = Number(last.v) + 1;
      await db
        .insertInto('attributions')
        .values({ output_id: a.outputId, version, engine_version: a.engineVersion, result: JSON.stringify(a.result), created_at: a.createdAt })
        .execute();
      if (tracks.length > 0) {
        await db
          .insertInto('attribution_tracks')
          .values(tracks.map((t) => ({ output_id: a.outputId, version, track_id: t.trackId, layer: t.layer, share_ppm: t.sharePpm, licensed: t.licensed })))
          .execute();
      }
      return version;
    },
    async attributionsOf(outputId) {
      if (!isUuid(outputId)) return [];
      const rows = await db.selectFrom('attributions').selectAll().where('output_id', '=', outputId).orderBy('version').execute();
      return rows.map((r) => ({ outputId: r.output_id, version: r.version, engineVersion: r.engine_version, result: parseJson(r.result) as AttributionResult, createdAt: iso(r.created_at)! }));
    },
    async usesOfTrack(orgId, trackId, limit) {
      if (!isUuid(trackId)) return [];
      // Only each output's latest version speaks for it.
      const rows = await db
        .selectFrom('attribution_tracks as t')
        .innerJoin('outputs as o', 'o.id', 't.output_id')
        .select(['t.output_id', 'o.title', 't.version', 't.layer', 't.share_ppm', 't.licensed', 'o.created_at'])
        .where('o.org_id', '=', orgId)
        .where('t.track_id', '=', trackId)
        .where('t.version', '=', (eb) => eb.selectFrom('attributions as a').select(sql<number>`max(a.version)`.as('v')).whereRef('a.output_id', '=', 't.output_id'))
        .orderBy('o.created_at', 'desc')
        .orderBy('t.output_id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ outputId: r.output_id, title: r.title, version: r.version, layer: r.layer, sharePpm: r.share_ppm, licensed: r.licensed, createdAt: iso(r.created_at)! }));
    },
  };
}
