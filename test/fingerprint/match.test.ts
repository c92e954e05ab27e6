// Matching real corpus music after the edits uploaders use, on both index engines: the
// on-disk segments (embedded) and PostgreSQL. Both must find the same tracks with the same
// scores, offsets and edit estimates.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTracks, matchFiles, type FingerprintDeps, type MatchReport } from '../../src/fingerprint/index.ts';
import { WorkerPool } from '../../src/jobs/index.ts';
import { createOrganisation } from '../../src/catalog/index.ts';
import { systemClock } from '../../src/shared/index.ts';
import { openFingerprintIndex } from '../../src/runtime/index.ts';
import { corpusFile } from '../helpers/corpus.ts';
import { edit, ffmpeg, type Edit } from '../helpers/tools.ts';
import { openTestStore, type TestStore } from '../helpers/store.ts';

const REFERENCES = ['neverball__track3.ogg', 'tsc__land-cave_3.ogg', 'digabi__chopin_eliogu_op55_no1.mp3', 'dejavu__brad-sucks-total-breakdown.mp3', 'librosa__kevin_macleod-vibe_ace.ogg'];
const STRANGER = 'opensurge__gimacian.ogg';

interface Query {
  name: string;
  file: string;
  expect: { title: string; refStart: number; speed?: number; pitchCents?: number; tempo?: number } | null;
}

let dir: string;
const queries: Query[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'll-match-'));
  const q = (name: string, src: string, start: number, seconds: number, effect: Edit = {}) => {
    const file = join(dir, `${name}.wav`);
    edit(corpusFile(src), file, { start, seconds, ...effect });
    return file;
  };
  const title = (f: string) => f.replace(/\.[a-z0-9]+$/, '');
  queries.push({ name: 'clean', file: q('clean', REFERENCES[0]!, 12, 10), expect: { title: title(REFERENCES[0]!), refStart: 12, speed: 1, pitchCents: 0, tempo: 1 } });
  queries.push({ name: 'speed 1.06', file: q('speed', REFERENCES[1]!, 30, 10, { speed: 1.06 }), expect: { title: title(REFERENCES[1]!), refStart: 30, speed: 1.06 } });
  queries.push({ name: 'speed 0.92', file: q('slow', REFERENCES[2]!, 100, 10, { speed: 0.92 }), expect: { title: title(REFERENCES[2]!), refStart: 100, speed: 0.92 } });
  queries.push({ name: 'pitch +200 cents', file: q('pitch', REFERENCES[3]!, 40, 10, { pitchCents: 200 }), expect: { title: title(REFERENCES[3]!), refStart: 40, pitchCents: 200 } });
  queries.push({ name: 'tempo 0.92', file: q('tempo', REFERENCES[4]!, 20, 10, { tempo: 0.92 }), expect: { title: title(REFERENCES[4]!), refStart: 20, tempo: 0.92 } });
  queries.push({ name: '5-second excerpt', file: q('short', REFERENCES[1]!, 50, 5), expect: { title: title(REFERENCES[1]!), refStart: 50 } });
  const wav = q('forenc', REFERENCES[0]!, 40, 10);
  const mp3 = join(dir, 'mp3.mp3');
  ffmpeg('-i', wav, '-c:a', 'libmp3lame', '-b:a', '64k', mp3);
  queries.push({ name: 'MP3 64 kbps', file: mp3, expect: { title: title(REFERENCES[0]!), refStart: 40 } });
  queries.push({ name: 'never indexed', file: q('stranger', STRANGER, 20, 10), expect: null });
  await writeFile(join(dir, 'broken.mp3'), 'ID3 but nothing after');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function runEngine(engine: 'pglite' | 'postgres'): Promise<MatchReport[]> {
  const ts: TestStore = await openTestStore(engine);
  const pool = new WorkerPool(2);
  try {
    const index = await openFingerprintIndex(ts.store);
    expect(index.kind).toBe(engine === 'postgres' ? 'postgres' : 'segments');
    const deps: FingerprintDeps = { store: ts.store, clock: systemClock, index, pool };
    const org = await createOrganisation(deps, 'test', { slug: 'label', name: 'Label' });
    const added = await addTracks(deps, { orgId: org.id, actor: 'test' }, REFERENCES.map(corpusFile), { artist: 'Various' });
    expect(added.failed).toEqual([]);
    expect(added.added).toHaveLength(REFERENCES.length);
    // The same audio twice is refused, not duplicated.
    const again = await addTracks(deps, { orgId: org.id, actor: 'test' }, [corpusFile(REFERENCES[0]!)]);
    expect(again.failed[0]!.error).toMatch(/already in the catalog/);
    const out: MatchReport[] = [];
    for await (const r of matchFiles(deps, [...queries.map((q) => q.file), join(dir, 'broken.mp3')])) {
      if (r.report) out.push(r.report);
      else expect(r.error!.message).toMatch(/mp3/i);
    }
    return out;
  } finally {
    await pool.close();
    await ts.cleanup();
  }
}

describe('matching edited copies of catalog tracks', () => {
  let embedded: MatchReport[];
  let shared: MatchReport[];

  beforeAll(async () => {
    [embedded, shared] = await Promise.all([runEngine('pglite'), runEngine('postgres')]);
  }, 180_000);

  it('finds each edited copy, where it sits, and the edit', () => {
    for (const [i, q] of queries.entries()) {
      const r = embedded[i]!;
      expect(r.file).toBe(q.file);
      if (!q.expect) {
        expect(r.matches, q.name).toEqual([]);
        continue;
      }
      const top = r.matches[0];
      expect(top?.title, q.name).toBe(q.expect.title);
      expect(top!.artist).toBe('Various');
      // The first matched hash sits within a couple of seconds of where the excerpt was cut.
      expect(Math.abs(top!.refStart - top!.queryStart * (q.expect.speed ?? q.expect.tempo ?? 1) - q.expect.refStart), q.name).toBeLessThan(0.5);
      if (q.expect.speed !== undefined) expect(top!.speed, q.name).toBeCloseTo(q.expect.speed, 1);
      if (q.expect.pitchCents !== undefined) expect(Math.abs(top!.pitchCents - q.expect.pitchCents), q.name).toBeLessThan(25);
      if (q.expect.tempo !== undefined) expect(Math.abs(top!.tempo - q.expect.tempo), q.name).toBeLessThan(0.02);
    }
  });

  it('gives the same answers from the embedded and the PostgreSQL index', () => {
    const strip = (rs: MatchReport[]) => rs.map((r) => ({ ...r, matches: r.matches.map(({ trackId: _t, ...m }) => m) }));
    expect(strip(shared)).toEqual(strip(embedded));
  });
});
