// CompositionStore over Kysely: packed chroma per catalog track.

import { sql, type Kysely } from 'kysely';
import { COMPOSITION_VERSION } from '../composition/features.ts';
import type { CompositionStore } from '../composition/store.ts';
import type { Database } from './schema.ts';

export function compositionRepo(db: Kysely<Database>): CompositionStore {
  return {
    async insertFeatures(rec) {
      await db
        .insertInto('composition_features')
        .values({ track_id: rec.trackId, org_id: rec.orgId, version: rec.version, frames: rec.frames, frame_ms: rec.frameMs, chroma: rec.chroma, patches: bytes(rec.patches) })
        .onConflict((oc) =>
          // created_at moves too: it is what tells a cached shortlist that this track changed.
          oc.column('track_id').doUpdateSet({ version: rec.version, frames: rec.frames, frame_ms: rec.frameMs, chroma: rec.chroma, patches: bytes(rec.patches), created_at: sql`now()` }),
        )
        .execute();
    },
    async featuresOf(orgId, trackIds) {
      if (trackIds && trackIds.length === 0) return [];
      let q = db.selectFrom('composition_features').selectAll().where('org_id', '=', orgId);
      if (trackIds) q = q.where('track_id', 'in', trackIds);
      const rows = await q.orderBy('track_id').execute();
      return rows.map((r) => ({ trackId: r.track_id, orgId: r.org_id, version: r.version, frames: r.frames, frameMs: r.frame_ms, chroma: new Uint8Array(r.chroma), patches: int8(r.patches) }));
    },
    async patchesOf(orgId) {
      const rows = await db
        .selectFrom('composition_features')
        .select(['track_id', 'patches'])
        .where('org_id', '=', orgId)
        .where('version', '=', COMPOSITION_VERSION)
        .orderBy('track_id')
        .execute();
      return rows.map((r) => ({ trackId: r.track_id, patches: int8(r.patches) }));
    },
    async featuresStamp(orgId) {
      const row = await db
        .selectFrom('composition_features')
        .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.max('created_at').as('at')])
        .where('org_id', '=', orgId)
        .where('version', '=', COMPOSITION_VERSION)
        .executeTakeFirstOrThrow();
      return `${row.n}/${row.at ? new Date(row.at).toISOString() : '-'}`;
    },
  };
}

const bytes = (a: Int8Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const int8 = (b: Uint8Array | null) => (b ? new Int8Array(Uint8Array.from(b).buffer) : new Int8Array(0));
