// CompositionStore over Kysely: packed chroma per catalog track.

import type { Kysely } from 'kysely';
import type { CompositionStore } from '../composition/store.ts';
import type { Database } from './schema.ts';

export function compositionRepo(db: Kysely<Database>): CompositionStore {
  return {
    async insertFeatures(rec) {
      await db
        .insertInto('composition_features')
        .values({ track_id: rec.trackId, org_id: rec.orgId, version: rec.version, frames: rec.frames, frame_ms: rec.frameMs, chroma: rec.chroma })
        .onConflict((oc) => oc.column('track_id').doUpdateSet({ version: rec.version, frames: rec.frames, frame_ms: rec.frameMs, chroma: rec.chroma }))
        .execute();
    },
    async featuresOf(orgId, trackIds) {
      if (trackIds && trackIds.length === 0) return [];
      let q = db.selectFrom('composition_features').selectAll().where('org_id', '=', orgId);
      if (trackIds) q = q.where('track_id', 'in', trackIds);
      const rows = await q.orderBy('track_id').execute();
      return rows.map((r) => ({ trackId: r.track_id, orgId: r.org_id, version: r.version, frames: r.frames, frameMs: r.frame_ms, chroma: new Uint8Array(r.chroma) }));
    },
  };
}
