// The chance estimate behind every match: the binomial bound against exact sums, the e-value
// growing with everything the search tried, and with the catalog on a real chance agreement.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFile } from '../../src/audio/index.ts';
import { binomialTail, chanceOf, DEFAULT_CONFIG, DEFAULT_MATCH, fingerprintPcm, matchHashes, MemoryIndex, plausibleEdit } from '../../src/fingerprint/index.ts';
import { seededRandom } from '../../src/shared/index.ts';
import { corpusFile } from '../helpers/corpus.ts';
import { edit } from '../helpers/tools.ts';

/** P(X ≥ s) for X ~ Binomial(n, p), summed term by term. */
function exactTail(n: number, p: number, s: number): number {
  let sum = 0;
  for (let k = s; k <= n; k++) {
    let log = k * Math.log(p) + (n - k) * Math.log1p(-p);
    for (let i = 0; i < k; i++) log += Math.log((n - i) / (i + 1));
    sum += Math.exp(log);
  }
  return sum;
}

describe('binomialTail', () => {
  it('bounds the exact tail from above, and within a factor of two where chance is rare', () => {
    const random = seededRandom(19);
    for (let i = 0; i < 300; i++) {
      const n = 1 + Math.floor(random() * 400);
      const p = 10 ** (-1 - 4 * random());
      const s = 1 + Math.floor(random() * 30);
      const exact = exactTail(n, p, s);
      const bound = binomialTail(n, p, s);
      expect(bound).toBeGreaterThanOrEqual(exact * (1 - 1e-9));
      if (s > 2 * n * p && exact > 1e-300) expect(bound / exact).toBeLessThan(2);
    }
  });

  it('is 1 at or below the mean, 0 beyond n', () => {
    expect(binomialTail(100, 0.1, 10)).toBe(1);
    expect(binomialTail(100, 0.1, 0)).toBe(1);
    expect(binomialTail(5, 0.1, 6)).toBe(0);
  });
});

describe('chanceOf', () => {
  const P = 7 / 6000;
  // n positions with one hit each.
  const background = (n: number) => ({
    queryFrames: 6000,
    refFrames: 6000,
    // The second cell (time ×1.05 with pitch -140 cents) is neither a speed change nor a pitch or tempo change alone.
    cells: [
      { positions: n, mu: n * P, plausible: plausibleEdit(1, 0) },
      { positions: n, mu: n * P, plausible: plausibleEdit(1.05, -140) },
    ],
  });
  const others = (count: number, hits: number) => Array.from({ length: count }, () => ({ hits, minFrames: 6000 }));

  it('grows with every track the search reached, with the background and with the span of slopes tried; falls with agreement', () => {
    const alone = chanceOf(background(400), 10, 1000, true, []);
    // 999 more tracks as dense as this one, bounded as if each had all its hits in one cell.
    const crowded = chanceOf(background(400), 10, 6000, true, others(999, 400));
    expect(crowded).toBeGreaterThan(alone * 999);
    // Tracks with fewer hits than the agreement cannot produce it.
    expect(chanceOf(background(400), 10, 1000, true, others(999, 9))).toBe(alone);
    expect(chanceOf(background(800), 10, 1000, true, [])).toBeGreaterThan(alone * 100);
    expect(chanceOf(background(400), 10, 4000, true, [])).toBeGreaterThan(alone);
    expect(chanceOf(background(400), 14, 1000, true, [])).toBeLessThan(alone / 1000);
  });

  it('counts a query position a loop repeats once: 100 positions hit 30 times each are less likely to line up than 3000 independent hits', () => {
    const loop = { queryFrames: 6000, refFrames: 6000, cells: [{ positions: 100, mu: 100 * Math.min(1, 30 * P), plausible: true }] };
    const independent = { queryFrames: 6000, refFrames: 6000, cells: [{ positions: 3000, mu: 3000 * P, plausible: true }] };
    // Same expected count on a window (3.5), fewer trials: a lighter tail (Hoeffding 1956).
    expect(chanceOf(loop, 20, 1000, true, [])).toBeLessThan(chanceOf(independent, 20, 1000, true, []) / 2);
  });

  it('judges an edit no single tool makes against the whole plane, a plausible one against its lines', () => {
    // The second cell (time ×1.05 with pitch -140 cents) is neither a speed change nor a pitch or tempo change alone.
    expect(plausibleEdit(1.05, -140)).toBe(false);
    expect(plausibleEdit(1.05, 1200 * Math.log2(1.05))).toBe(true);
    expect(plausibleEdit(1, 150)).toBe(true);
    expect(plausibleEdit(1.08, 0)).toBe(true);
    const plausible = chanceOf(background(400), 10, 1000, true, []);
    const any = chanceOf(background(400), 10, 1000, false, []);
    expect(any).toBeCloseTo(2 * plausible, 6);
  });

  it('bounds another track of unknown length at the least favourable length', () => {
    // Known to be at least 300 frames long, under the query's 6000: judged as if 6000 long.
    const short = chanceOf(background(0), 10, 6000, false, [{ hits: 400, minFrames: 300 }]);
    expect(short).toBeCloseTo(chanceOf(background(0), 10, 6000, false, [{ hits: 400, minFrames: 6000 }]), 12);
    expect(chanceOf(background(0), 10, 6000, false, [{ hits: 400, minFrames: 60000 }])).toBeLessThan(short);
  });
});

describe('the chance estimate of a real chance agreement', () => {
  it('grows with the catalog searched, while the alignment stays the same', async () => {
    // Insert Coin down a semitone agrees with Red Doors on 9 positions by chance (the screening
    // flow's fixture); other catalog tracks the query reaches add to how often that happens.
    const dir = mkdtempSync(join(tmpdir(), 'll-chance-'));
    try {
      const print = async (f: string) => {
        const a = await decodeFile(f);
        return fingerprintPcm(a.channels, a.sampleRate).hashes;
      };
      const query = join(dir, 'q.wav');
      edit(corpusFile('costelinha__insert_coin.mp3'), query, { pitchCents: -100 });
      const q = await print(query);
      const opts = { ...DEFAULT_MATCH, maxExpected: Infinity };
      const small = new MemoryIndex();
      await small.add([{ ref: 1, hashes: await print(corpusFile('cdogs__red_doors2.ogg')) }]);
      const alone = (await matchHashes(small, q, DEFAULT_CONFIG, opts)).find((m) => m.ref === 1)!;
      const large = new MemoryIndex();
      const more = ['cdogs__crashed_ship.ogg', 'hexoshi__late_night_runaway.ogg', 'unknownhorizons__seafight.ogg', 'starfighter__rise_of_spirit.ogg', 'tsc__land-cave_3.ogg'];
      await large.add([{ ref: 1, hashes: await print(corpusFile('cdogs__red_doors2.ogg')) }, ...(await Promise.all(more.map(async (f, i) => ({ ref: i + 2, hashes: await print(corpusFile(f)) }))))]);
      const crowded = (await matchHashes(large, q, DEFAULT_CONFIG, opts)).find((m) => m.ref === 1)!;
      expect(crowded.score).toBe(alone.score);
      expect(crowded.expected).toBeGreaterThan(alone.expected);
      // Weak either way: never strong enough for screening to act on.
      expect(alone.expected).toBeGreaterThan(1e-6);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
