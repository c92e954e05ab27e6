// Attribution shares: exact integers summing to one million whatever the evidence, with the
// formula's promises (time is never paid twice, weak evidence earns less than the time it
// covers, the cap and the dividend) checked on random claims.

import { describe, expect, it } from 'vitest';
import { exactShares, layerShares, roundShares, type Claim } from '../../src/attribution/index.ts';
import { WHOLE_PPM } from '../../src/catalog/index.ts';
import { seededRandom } from '../../src/shared/index.ts';

const total = (s: { shares: Array<{ sharePpm: number }>; unattributedPpm: number }) => s.shares.reduce((a, x) => a + x.sharePpm, 0) + s.unattributedPpm;

function randomClaims(random: () => number, duration: number): Claim[] {
  const n = Math.floor(random() * 8);
  return Array.from({ length: n }, () => {
    const a = random() * duration * 1.2 - duration * 0.1;
    const b = a + random() * duration * 0.6;
    return { trackId: `t${Math.floor(random() * 5)}`, outputStart: a, outputEnd: b, strength: random() < 0.2 ? 1 : random() * 1.2 - 0.1 };
  });
}

describe('attribution shares', () => {
  it('gives no shares and a whole residual without evidence', () => {
    expect(layerShares(180, [])).toEqual({ shares: [], unattributedPpm: WHOLE_PPM });
    expect(layerShares(0, [{ trackId: 'a', outputStart: 0, outputEnd: 1, strength: 1 }])).toEqual({ shares: [], unattributedPpm: WHOLE_PPM });
  });

  it('pays the time a track explains, divides shared time, and never pays it twice', () => {
    // A quarter of the output, at full strength.
    expect(layerShares(100, [{ trackId: 'a', outputStart: 10, outputEnd: 35, strength: 1 }])).toEqual({ shares: [{ trackId: 'a', sharePpm: 250_000 }], unattributedPpm: 750_000 });
    // The same seconds twice for the same track count once.
    const twice = layerShares(100, [
      { trackId: 'a', outputStart: 10, outputEnd: 35, strength: 1 },
      { trackId: 'a', outputStart: 20, outputEnd: 35, strength: 0.5 },
    ]);
    expect(twice.shares).toEqual([{ trackId: 'a', sharePpm: 250_000 }]);
    // Two tracks mixed over the same half: each half of it.
    const mixed = layerShares(100, [
      { trackId: 'a', outputStart: 0, outputEnd: 50, strength: 1 },
      { trackId: 'b', outputStart: 0, outputEnd: 50, strength: 1 },
    ]);
    expect(mixed).toEqual({ shares: [{ trackId: 'a', sharePpm: 250_000 }, { trackId: 'b', sharePpm: 250_000 }], unattributedPpm: 500_000 });
    // Weak evidence earns less than the time it covers.
    expect(layerShares(100, [{ trackId: 'a', outputStart: 0, outputEnd: 50, strength: 0.4 }]).shares).toEqual([{ trackId: 'a', sharePpm: 200_000 }]);
  });

  it('applies the cap and the dividend', () => {
    const claims = [
      { trackId: 'a', outputStart: 0, outputEnd: 80, strength: 1 },
      { trackId: 'b', outputStart: 80, outputEnd: 100, strength: 1 },
    ];
    expect(layerShares(100, claims, { maxTrackPpm: 500_000, dividendPpm: 0 })).toEqual({
      shares: [{ trackId: 'a', sharePpm: 500_000 }, { trackId: 'b', sharePpm: 200_000 }],
      unattributedPpm: 300_000,
    });
    expect(layerShares(100, claims, { maxTrackPpm: WHOLE_PPM, dividendPpm: 100_000 })).toEqual({
      shares: [{ trackId: 'a', sharePpm: 720_000 }, { trackId: 'b', sharePpm: 180_000 }],
      unattributedPpm: 100_000,
    });
  });

  it('rounds thirds by largest remainder with the documented tie order', () => {
    const thirds = roundShares(
      new Map([
        ['b', 1 / 3],
        ['a', 1 / 3],
        ['c', 1 / 3],
      ]),
    );
    // 333,333.33 each: the one ppm left goes to the first in the tie order, track id ascending.
    expect(thirds).toEqual({ shares: [{ trackId: 'a', sharePpm: 333_334 }, { trackId: 'b', sharePpm: 333_333 }, { trackId: 'c', sharePpm: 333_333 }], unattributedPpm: 0 });
  });

  it('sums to exactly one million with no negative part for any random evidence and policy', () => {
    const random = seededRandom(20261205);
    for (let round = 0; round < 3000; round++) {
      const duration = 1 + random() * 600;
      const claims = randomClaims(random, duration);
      const policy = { maxTrackPpm: Math.floor(random() * WHOLE_PPM * 1.1), dividendPpm: random() < 0.5 ? 0 : Math.floor(random() * WHOLE_PPM) };
      const s = layerShares(duration, claims, policy);
      expect(total(s)).toBe(WHOLE_PPM);
      expect(s.unattributedPpm).toBeGreaterThanOrEqual(0);
      for (const x of s.shares) {
        expect(Number.isInteger(x.sharePpm)).toBe(true);
        expect(x.sharePpm).toBeGreaterThan(0);
        // Rounding moves a share by less than one ppm; the cap holds.
        expect(x.sharePpm).toBeLessThanOrEqual(Math.min(policy.maxTrackPpm, WHOLE_PPM) + 1);
      }
      // A track's exact share never exceeds the part of the output its claims cover.
      const exact = exactShares(duration, claims);
      for (const [t, v] of exact) {
        const own = claims.filter((c) => c.trackId === t && c.strength > 0);
        const covered = own.reduce((a, c) => a + Math.max(0, Math.min(duration, c.outputEnd) - Math.max(0, c.outputStart)), 0);
        const slices = Math.ceil(duration / 0.1);
        expect(v).toBeLessThanOrEqual(covered / duration + own.length / slices + 1e-9);
      }
    }
  });
});
