// Kills a process with SIGKILL in the middle of a batch import and shows that the database is
// consistent (only whole tracks, each with complete splits and its audit entries), the audit
// chain intact, and that running the import again completes it without duplicates.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/audit/index.ts';
import { createOrganisation } from '../../src/catalog/index.ts';
import { systemClock } from '../../src/shared/index.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { runCli, startCli } from '../helpers/cli.ts';
import { dropSchema, ENGINES, freshSchemaUrl } from '../helpers/store.ts';

const TRACKS = 1500;

function document() {
  return {
    artists: [{ ref: 'a', name: 'Crash Test Dummies of Sound' }],
    rightsHolders: [
      { ref: 'label', name: 'Label', kind: 'label' },
      { ref: 'artist', name: 'Artist', kind: 'artist' },
      { ref: 'p1', name: 'Pub One', kind: 'publisher' },
      { ref: 'p2', name: 'Writer Two', kind: 'songwriter' },
      { ref: 'p3', name: 'Writer Three', kind: 'songwriter' },
    ],
    tracks: Array.from({ length: TRACKS }, (_, i) => ({
      title: `Track ${i}`,
      isrc: `GBCRA26${String(i).padStart(5, '0')}`,
      artist: 'a',
      durationMs: 120_000 + i,
      master: [
        { holder: 'label', percent: '75' },
        { holder: 'artist', percent: '25' },
      ],
      publishing: [
        { holder: 'p1', percent: '33.3333' },
        { holder: 'p2', percent: '33.3333' },
        { holder: 'p3', percent: '33.3334' },
      ],
    })),
  };
}

async function consistency(store: Store) {
  const tracks = Number((await sql<{ n: string }>`select count(*) as n from tracks`.execute(store.db)).rows[0]!.n);
  const created = Number((await sql<{ n: string }>`select count(*) as n from audit_log where action = 'track.create'`.execute(store.db)).rows[0]!.n);
  const splitSets = Number((await sql<{ n: string }>`select count(*) as n from audit_log where action like 'split.%'`.execute(store.db)).rows[0]!.n);
  const incomplete = await sql<{ track_id: string }>`
    select t.id as track_id from tracks t
    left join splits s on s.track_id = t.id
    group by t.id
    having coalesce(sum(s.share_ppm) filter (where s.kind = 'master'), 0) <> 1000000
        or coalesce(sum(s.share_ppm) filter (where s.kind = 'publishing'), 0) <> 1000000`.execute(store.db);
  return { tracks, created, splitSets, incomplete: incomplete.rows.length, audit: await verifyAudit(store.repos.audit) };
}

describe.each(ENGINES)('SIGKILL during a batch on %s', (engine) => {
  let dir: string;
  let where: string[];
  let schema: string | null = null;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'll-crash-'));
    await writeFile(join(dir, 'catalog.json'), JSON.stringify(document()));
    if (engine === 'pglite') {
      where = ['--data', join(dir, 'data')];
    } else {
      const fresh = freshSchemaUrl();
      schema = fresh.schema;
      where = ['--database', fresh.url];
    }
    const store = await openStore(engine === 'pglite' ? { dataDir: join(dir, 'data') } : { databaseUrl: where[1] });
    await createOrganisation({ store, clock: systemClock }, 'test', { slug: 'crash', name: 'Crash' });
    await store.close();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    if (schema) await dropSchema(schema);
  });

  it('leaves only whole tracks and an intact chain, and a re-run completes the import', async () => {
    const run = startCli(['catalog', 'import', join(dir, 'catalog.json'), '--org', 'crash', ...where]);
    // Wait until the import is well under way, then kill it without warning.
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = [...run.stderrSoFar().matchAll(/importing tracks (\d+)\/(\d+)/g)].pop();
        if (m && Number(m[1]) >= 100) {
          clearInterval(timer);
          run.child.kill('SIGKILL');
          resolve();
        }
      }, 20);
      void run.done.then((f) => {
        clearInterval(timer);
        if (f.signal !== 'SIGKILL') reject(new Error(`import ended before it could be killed: ${f.stderr}`));
      });
    });
    const killed = await run.done;
    expect(killed.signal).toBe('SIGKILL');

    const store = await openStore(engine === 'pglite' ? { dataDir: where[1] } : { databaseUrl: where[1] });
    const mid = await consistency(store);
    await store.close();
    expect(mid.tracks).toBeGreaterThanOrEqual(100);
    expect(mid.tracks).toBeLessThan(TRACKS);
    expect(mid.created).toBe(mid.tracks);
    expect(mid.splitSets).toBe(2 * mid.tracks);
    expect(mid.incomplete).toBe(0);
    expect(mid.audit.ok).toBe(true);

    const again = await runCli(['catalog', 'import', join(dir, 'catalog.json'), '--org', 'crash', '--json', ...where]);
    expect(again.code, again.stderr).toBe(0);
    const report = JSON.parse(again.stdout);
    expect(report.tracks).toEqual({ created: TRACKS - mid.tracks, skipped: mid.tracks });
    expect(report.artists).toEqual({ created: 0, existing: 1 });

    const final = await openStore(engine === 'pglite' ? { dataDir: where[1] } : { databaseUrl: where[1] });
    const end = await consistency(final);
    await final.close();
    expect(end).toMatchObject({ tracks: TRACKS, created: TRACKS, splitSets: 2 * TRACKS, incomplete: 0 });
    expect(end.audit.ok).toBe(true);
  });
});
