// Bulk appends on both engines (COPY on PGlite, unnest on PostgreSQL): every value comes back as
// written, whatever characters it holds, and nulls stay null.

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendRows } from '../../src/store/append-rows.ts';
import { ENGINES, openTestStore, type TestStore } from '../helpers/store.ts';

describe.each(ENGINES)('appendRows on %s', (engine) => {
  let ts: TestStore;
  beforeAll(async () => {
    ts = await openTestStore(engine);
    await sql`CREATE TABLE append_probe (n int NOT NULL, big bigint, s text, at timestamptz)`.execute(ts.store.db);
  });
  afterAll(async () => ts.cleanup());

  it('writes every value as given: tabs, newlines, backslashes, a literal \\N, unicode, nulls', async () => {
    const texts = ['plain', 'tab\there', 'line\nbreak', 'cr\rhere', 'back\\slash', '\\N', '\\\\N', 'ünï — 音楽', '', null];
    const rows = texts.map((s, n) => [n, n % 2 ? null : 9_007_199_254_740_991 - n, s, n % 3 ? new Date(Date.UTC(2026, 10, n + 1)).toISOString() : null]);
    const columns = [
      { name: 'n', type: 'int' },
      { name: 'big', type: 'bigint' },
      { name: 's', type: 'text' },
      { name: 'at', type: 'timestamptz' },
    ];
    await appendRows(ts.store.db, ts.store.engine, 'append_probe', columns, rows);
    const back = await sql<{ n: number; big: string | null; s: string | null; at: Date | null }>`SELECT n, big::text AS big, s, at FROM append_probe ORDER BY n`.execute(ts.store.db);
    expect(back.rows.map((r) => [r.n, r.big === null ? null : Number(r.big), r.s, r.at === null ? null : new Date(r.at).toISOString()])).toEqual(rows);
  });
});
