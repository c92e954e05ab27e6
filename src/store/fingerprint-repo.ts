// FingerprintStore, and the PostgreSQL fingerprint index, over Kysely.

import { sql, type Kysely } from 'kysely';
import { postingFields, type FingerprintIndex, type Hashes, type LookupResult } from '../fingerprint/index.ts';
import type { FingerprintStore } from '../fingerprint/store.ts';
import type { Database } from './schema.ts';

export function fingerprintRepo(db: Kysely<Database>): FingerprintStore {
  return {
    async allocateRefs(n) {
      if (n === 0) return [];
      const r = await sql<{ ref: number }>`select nextval(pg_get_serial_sequence('fingerprints', 'ref'))::int as ref from generate_series(1, ${n})`.execute(db);
      return r.rows.map((x) => Number(x.ref));
    },
    async insertFingerprint(rec) {
      await db
        .insertInto('fingerprints')
        .values({ ref: rec.ref, track_id: rec.trackId, org_id: rec.orgId, version: rec.version, hash_count: rec.hashCount, duration_ms: rec.durationMs })
        .execute();
    },
    async tracksByRefs(refs, orgId) {
      if (refs.length === 0) return [];
      let q = db
        .selectFrom('fingerprints as f')
        .innerJoin('tracks as t', 't.id', 'f.track_id')
        .leftJoin('artists as a', 'a.id', 't.artist_id')
        .select(['f.ref', 't.id as trackId', 't.org_id as orgId', 't.title', 'a.name as artist', 't.isrc'])
        .where('f.ref', 'in', refs);
      if (orgId) q = q.where('t.org_id', '=', orgId);
      const rows = await q.execute();
      return rows.map((r) => ({ ref: Number(r.ref), trackId: r.trackId, orgId: r.orgId, title: r.title, artist: r.artist, isrc: r.isrc }));
    },
    async refsOfTracks(trackIds) {
      if (trackIds.length === 0) return [];
      const rows = await db.selectFrom('fingerprints').select('ref').where('track_id', 'in', trackIds).execute();
      return rows.map((r) => Number(r.ref));
    },
  };
}

/** Postings in PostgreSQL: any number of machines share one catalog. */
export class PgFingerprintIndex implements FingerprintIndex {
  readonly kind = 'postgres' as const;
  constructor(private readonly db: Kysely<Database>) {}

  async add(entries: Array<{ ref: number; hashes: Hashes }>): Promise<void> {
    for (const { ref, hashes } of entries) {
      const CHUNK = 20_000;
      for (let from = 0; from < hashes.count; from += CHUNK) {
        const to = Math.min(hashes.count, from + CHUNK);
        const keys: number[] = [];
        const t1: number[] = [];
        const c1: number[] = [];
        const span: number[] = [];
        for (let i = from; i < to; i++) {
          keys.push(hashes.keys[i]!);
          const f = postingFields(hashes.t1[i]!, hashes.c1[i]!, hashes.span[i]!);
          t1.push(f.t1);
          c1.push(f.c1);
          span.push(f.span);
        }
        await sql`insert into fp_postings (key, ref, t1, c1, span)
          select k, ${ref}, t, c, s from unnest(${keys}::int[], ${t1}::int[], ${c1}::smallint[], ${span}::smallint[]) as u(k, t, c, s)`.execute(this.db);
      }
    }
  }

  async lookup(keys: Uint32Array): Promise<LookupResult> {
    const unique = [...new Set(keys)];
    const rows = unique.length
      ? (await sql<{ key: number; ref: number; t1: number; c1: number; span: number }>`
          select key, ref, t1, c1, span from fp_postings where key = any(${unique}::int[])`.execute(this.db)).rows
      : [];
    // One list in key order; each queried key points at its key's range.
    rows.sort((a, b) => a.key - b.key);
    const list = { count: rows.length, track: new Uint32Array(rows.length), t1: new Uint32Array(rows.length), c1: new Uint16Array(rows.length), span: new Uint16Array(rows.length) };
    const range = new Map<number, [number, number]>();
    rows.forEach((r, i) => {
      list.track[i] = r.ref;
      list.t1[i] = r.t1;
      list.c1[i] = r.c1;
      list.span[i] = r.span;
      const got = range.get(r.key);
      if (got) got[1] = i + 1;
      else range.set(r.key, [i, i + 1]);
    });
    const parts: LookupResult['parts'] = [];
    keys.forEach((k, i) => {
      const r = range.get(k);
      if (r) parts.push({ key: i, list, from: r[0], to: r[1] });
    });
    return { parts };
  }

  async remove(refs: number[]): Promise<void> {
    if (refs.length) await this.db.deleteFrom('fp_postings').where('ref', 'in', refs).execute();
  }

  async stats() {
    const r = await sql<{ n: string; bytes: string }>`
      select (select count(*) from fp_postings) as n,
             (select coalesce(sum(pg_total_relation_size(inhrelid)), 0) from pg_inherits where inhparent = 'fp_postings'::regclass) as bytes`.execute(this.db);
    return { postings: Number(r.rows[0]!.n), bytes: Number(r.rows[0]!.bytes) };
  }

  async close(): Promise<void> {}
}
