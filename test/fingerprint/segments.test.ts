// The embedded index on disk: what is added survives a reopen, large segments read on demand
// answer exactly like loaded ones, merging keeps every posting, and a damaged or foreign
// segment is refused with a clear error.

import { mkdtemp, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintPcm, locateKeys, MemoryIndex, SegmentIndex, type FingerprintIndex, type Hashes } from '../../src/fingerprint/index.ts';
import { seededRandom } from '../../src/shared/index.ts';
import { synthMusic } from '../helpers/audio.ts';

let dir: string;
const tracks: Hashes[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'll-seg-'));
  for (let seed = 1; seed <= 14; seed++) tracks.push(fingerprintPcm([synthMusic(20, 22050, seed)], 22050).hashes);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function flatten(index: FingerprintIndex, keys: Uint32Array) {
  const found = await index.lookup(keys);
  await found.load?.(found.parts);
  const rows: string[] = [];
  for (const p of found.parts) {
    const l = p.list!;
    for (let i = p.from; i < p.to; i++) rows.push(`${p.key}:${l.track[i]}:${l.t1[i]}:${l.c1[i]}:${l.span[i]}`);
  }
  return rows.sort();
}

describe('key lookup', () => {
  /** The plain answer: each query key's index in each run, by linear search. */
  const naive = (runs: Uint32Array[], keys: Uint32Array) => runs.map((r) => Int32Array.from(keys, (k) => r.indexOf(k)));
  const sortedSet = (xs: number[]) => Uint32Array.from(new Set(xs)).sort();

  it('finds every key in every run like a linear search: duplicates, absent keys, the extremes, empty runs', () => {
    const rand = seededRandom(11);
    for (let trial = 0; trial < 60; trial++) {
      const span = trial % 3 === 0 ? 0xffffffff : 5000;
      const draw = () => Math.floor(rand() * span);
      const runs = Array.from({ length: 1 + (trial % 5) }, (_, r) => sortedSet(r === 2 ? [] : [0, 0xffffffff, ...Array.from({ length: Math.floor(rand() * 3000) }, draw)]));
      const keys = Uint32Array.from({ length: Math.floor(rand() * 4000) }, (_, i) => (i % 7 === 0 && i > 0 ? 0 : i % 11 === 0 ? 0xffffffff : draw()));
      expect(locateKeys(runs, keys), `trial ${trial}`).toEqual(naive(runs, keys));
    }
  });

  it('answers a query too large to number in 21 bits key by key, with the same result', () => {
    const rand = seededRandom(12);
    const run = sortedSet(Array.from({ length: 50_000 }, () => Math.floor(rand() * 1e6)));
    const keys = Uint32Array.from({ length: 2 ** 21 + 5 }, () => Math.floor(rand() * 1e6));
    const at = locateKeys([run], keys)[0]!;
    const index = new Map(Array.from(run, (k, i) => [k, i]));
    let wrong = 0;
    let found = 0;
    for (let k = 0; k < keys.length; k++) {
      if (at[k] !== (index.get(keys[k]!) ?? -1)) wrong++;
      if (at[k]! >= 0) found++;
    }
    expect(wrong).toBe(0);
    expect(found).toBeGreaterThan(1000);
  });
});

describe('segment index', () => {
  it('keeps postings across reopen, merges without loss, and reads large segments on demand identically', async () => {
    const memory = new MemoryIndex();
    const seg = await SegmentIndex.open(join(dir, 'a'), 1);
    for (const [ref, h] of tracks.entries()) {
      await memory.add([{ ref, hashes: h }]);
      await seg.add([{ ref, hashes: h }]); // 14 adds: passes the merge threshold once
    }
    const keys = Uint32Array.from(new Set([...tracks[3]!.keys, ...tracks[9]!.keys, 123456789]));
    const expected = await flatten(memory, keys);
    expect(expected.length).toBeGreaterThan(100);
    expect(await flatten(seg, keys)).toEqual(expected);
    expect((await readdir(join(dir, 'a'))).length).toBeLessThan(14);
    await seg.close();
    const loaded = await SegmentIndex.open(join(dir, 'a'), 1);
    expect(await flatten(loaded, keys)).toEqual(expected);
    expect((await loaded.stats()).postings).toBe(tracks.reduce((n, h) => n + h.count, 0));
    await loaded.close();
    const lazy = await SegmentIndex.open(join(dir, 'a'), 1, { eagerPostings: 0 });
    expect(await flatten(lazy, keys)).toEqual(expected);
    await lazy.close();
  });

  it('refuses a truncated, foreign or other-version segment with a clear error', async () => {
    const d = join(dir, 'b');
    const seg = await SegmentIndex.open(d, 1);
    await seg.add([{ ref: 1, hashes: tracks[0]! }]);
    await seg.close();
    await expect(SegmentIndex.open(d, 2)).rejects.toMatchObject({ code: 'LL_FINGERPRINT_INDEX_VERSION' });
    const [file] = (await readdir(d)).filter((f) => f.endsWith('.llfp'));
    await truncate(join(d, file!), 100);
    await expect(SegmentIndex.open(d, 1)).rejects.toMatchObject({ code: 'LL_FINGERPRINT_INDEX_CORRUPT', message: expect.stringMatching(/expected/) });
    await writeFile(join(d, file!), 'not a segment at all, just text');
    await expect(SegmentIndex.open(d, 1)).rejects.toMatchObject({ code: 'LL_FINGERPRINT_INDEX_CORRUPT' });
  });

  it('drops a half-written segment left by a crash', async () => {
    const d = join(dir, 'c');
    const seg = await SegmentIndex.open(d, 1);
    await seg.add([{ ref: 1, hashes: tracks[0]! }]);
    await seg.close();
    await writeFile(join(d, 'seg-00000099.llfp.tmp'), 'partial');
    const again = await SegmentIndex.open(d, 1);
    expect((await again.stats()).postings).toBe(tracks[0]!.count);
    expect((await readdir(d)).some((f) => f.endsWith('.tmp'))).toBe(false);
    await again.close();
  });
});
