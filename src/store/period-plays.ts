// A period's plays per listener, counted outside the engine. Grouping ten million plays by
// listener and track costs an engine far more than the plays themselves (a month of 10 million
// plays, 200,000 listeners, 100,000 tracks: PGlite grouped them in 15 s and the grouped rows,
// packed into text and split here, took 43 s more; PostgreSQL grouped them in 16 s, packing
// included 38 s, while it reads them ungrouped in 2 s), so the plays leave the engine one per
// row and are counted in columns (PeriodStreams). On PGlite, tracks travel as their rank among
// the organisation's track ids, and the rows come as one COPY blob (text format:
// tab-separated fields, newline-ended rows; ~13 bytes a play, not ~50), service, country and
// listener interned by their bytes, so a string is made once per distinct value, not per play.
// On PostgreSQL they come as rows, a slice of the listeners at a time.

import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { PeriodStreams } from '../royalties/period-streams.ts';
import { isUuid } from './rows.ts';
import type { Database } from './schema.ts';

/**
 * The events that count as streams in a period (30 s played, a known track), as `e`. The bounds
 * are parameters, or literals (sql.lit) inside a COPY, which takes no parameters.
 */
export const counted = (orgId: string | RawBuilder<unknown>, from: string | RawBuilder<unknown>, to: string | RawBuilder<unknown>) =>
  sql`e.org_id = ${orgId} AND e.started_at >= ${from} AND e.started_at < ${to} AND e.ms_played >= 30000 AND e.track_id IS NOT NULL`;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;
const TAB = 9;
const NEWLINE = 10;
const BACKSLASH = 92;

/** Counted plays of the period, one row each, into `into` (PGlite: one connection, held by the caller's transaction). */
export async function playsByCopy(db: Kysely<Database>, orgId: string, from: string, to: string, into: PeriodStreams): Promise<void> {
  // COPY takes no parameters: what goes into its text is checked first.
  if (!isUuid(orgId) || !INSTANT.test(from) || !INSTANT.test(to)) throw new Error(`bad period bounds ${from}..${to} for ${orgId}`);
  // Tracks travel as their rank in id order; the two statements agree on the ranks because
  // PGlite has one connection and the caller's transaction holds it, so no track comes between.
  const tracks = await sql<{ id: string }>`SELECT id FROM tracks WHERE org_id = ${orgId} ORDER BY id`.execute(db);
  const byRank = Int32Array.from(tracks.rows, (r) => into.track(r.id));
  const org = sql.lit(orgId);
  // A play of a track no longer in the catalog keeps its id (its money goes to suspense, as before).
  const copied = await sql<{ blob: Blob }>`
    COPY (SELECT e.service, e.country, e.listener, coalesce(tr.rank::text, e.track_id::text)
      FROM stream_events e LEFT JOIN (SELECT id, (row_number() OVER (ORDER BY id))::int - 1 AS rank FROM tracks WHERE org_id = ${org}) tr ON tr.id = e.track_id
      WHERE ${counted(org, sql.lit(from), sql.lit(to))})
    TO '/dev/blob'`.execute(db);
  const blob = copied.rows[0]?.blob;
  // PGlite makes no blob for no rows; a blob missing otherwise would be plays lost without a word.
  if (!blob) {
    if (copied.numAffectedRows === 0n) return;
    throw new Error('COPY TO /dev/blob returned no blob');
  }
  const buf = new Uint8Array(await blob.arrayBuffer());
  const groups = new BytesIntern(buf);
  const listeners = new BytesIntern(buf);
  const decoder = new TextDecoder();
  const text = (a: number, b: number) => unescapeCopy(decoder.decode(buf.subarray(a, b)));
  const tabs = [0, 0, 0];
  for (let line = 0; line < buf.length; ) {
    let end = line;
    let t = 0;
    let slashes = 0;
    while (end < buf.length && buf[end] !== NEWLINE) {
      const c = buf[end]!;
      if (c === TAB && t < 3) tabs[t++] = end;
      else if (c === BACKSLASH) slashes++;
      end++;
    }
    if (t !== 3) throw new Error(`unreadable COPY row at byte ${line}`);
    const [t1, t2, t3] = tabs as [number, number, number];
    // A country of null (\N) is its own interned value; any other backslash is an escape to undo.
    const escaped = slashes > (nullable(buf, t1 + 1, t2) ? 1 : 0);
    let group: number;
    let listener: number;
    if (escaped) {
      group = into.group(text(line, t1)!, text(t1 + 1, t2));
      listener = into.listener(text(t2 + 1, t3)!);
    } else {
      group = groups.of(line, t2, () => into.group(decoder.decode(buf.subarray(line, t1)), nullable(buf, t1 + 1, t2) ? null : decoder.decode(buf.subarray(t1 + 1, t2))));
      listener = listeners.of(t2 + 1, t3, () => into.listener(decoder.decode(buf.subarray(t2 + 1, t3))));
    }
    let rank = 0;
    let digits = true;
    for (let i = t3 + 1; i < end; i++) {
      const d = buf[i]! - 48;
      if (d < 0 || d > 9) {
        digits = false;
        break;
      }
      rank = rank * 10 + d;
    }
    const track = digits && rank < byRank.length ? byRank[rank]! : into.track(decoder.decode(buf.subarray(t3 + 1, end)));
    into.push(group, listener, track, 1, 0);
    line = end + 1;
  }
}

/** Listener slices the PostgreSQL read is cut in: each a scan of the period, a quarter of its rows held at once. */
const SLICES = 4;

/** The same on PostgreSQL: rows of (service, country, listener, track), a slice of the listeners at a time. */
export async function playsByRows(db: Kysely<Database>, orgId: string, from: string, to: string, into: PeriodStreams): Promise<void> {
  // Tracks travel by id here: under read committed a track added between two statements would shift ranks.
  let last = { service: '', country: null as string | null, group: -1 };
  for (let slice = 0; slice < SLICES; slice++) {
    const rows = await sql<{ service: string; country: string | null; listener: string; track_id: string }>`
      SELECT e.service, e.country, e.listener, e.track_id FROM stream_events e
      WHERE ${counted(orgId, from, to)} AND (hashtext(e.listener) & ${SLICES - 1}) = ${slice}`.execute(db);
    for (const r of rows.rows) {
      if (r.service !== last.service || r.country !== last.country) last = { service: r.service, country: r.country, group: into.group(r.service, r.country) };
      into.push(last.group, into.listener(r.listener), into.track(r.track_id), 1, 0);
    }
  }
}

/** Whether a field is COPY's null (\N). */
const nullable = (buf: Uint8Array, a: number, b: number) => b - a === 2 && buf[a] === BACKSLASH && buf[a + 1] === 78;

/** A field of COPY's text format as its value: \N is null, backslash escapes are undone. */
function unescapeCopy(s: string): string | null {
  if (s === '\\N') return null;
  if (!s.includes('\\')) return s;
  const named: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
  return s.replace(/\\(.)/g, (_, c: string) => named[c] ?? c);
}

/**
 * Byte ranges of one buffer to small integers: FNV-1a over the bytes, open addressing, equal
 * ranges compared byte by byte; `make` is called once per distinct range.
 */
class BytesIntern {
  private from = new Int32Array(1024);
  private to = new Int32Array(1024);
  private value = new Int32Array(1024).fill(-1);
  private used = 0;

  constructor(private readonly buf: Uint8Array) {}

  of(a: number, b: number, make: () => number): number {
    const buf = this.buf;
    let h = 0x811c9dc5;
    for (let i = a; i < b; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    const mask = this.value.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const v = this.value[slot]!;
      if (v === -1) {
        const made = make();
        this.from[slot] = a;
        this.to[slot] = b;
        this.value[slot] = made;
        if (++this.used * 2 > this.value.length) this.grow();
        return made;
      }
      if (this.to[slot]! - this.from[slot]! === b - a && this.same(this.from[slot]!, a, b - a)) return v;
    }
  }

  private same(x: number, y: number, n: number): boolean {
    for (let i = 0; i < n; i++) if (this.buf[x + i] !== this.buf[y + i]) return false;
    return true;
  }

  private grow() {
    const { from, to, value } = this;
    this.from = new Int32Array(from.length * 2);
    this.to = new Int32Array(from.length * 2);
    this.value = new Int32Array(from.length * 2).fill(-1);
    this.used = 0;
    for (let s = 0; s < value.length; s++) {
      if (value[s] === -1) continue;
      const v = value[s]!;
      this.of(from[s]!, to[s]!, () => v);
    }
  }
}
