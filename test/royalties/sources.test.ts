// Allocation as pure functions: whatever the amounts and weights, the parts sum exactly to what
// was given, none is negative, and the same inputs give the same parts; the worked example of
// docs/royalties.md comes out to the cent.

import { describe, expect, it } from 'vitest';
import { allocate, allocateInOrder, checkEntry, outputRevenue, splitTrack, streamsProRata, streamsUserCentric, takeCommission, trainingFee } from '../../src/royalties/index.ts';
import { seededRandom } from '../../src/shared/index.ts';

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

describe('allocation', () => {
  it('splits any amount by any weights into parts that sum exactly, none negative, deterministically', () => {
    const random = seededRandom(11);
    for (let k = 0; k < 2000; k++) {
      const amount = Math.floor(random() ** 3 * 1e12);
      const parts = Array.from({ length: 1 + Math.floor(random() * 30) }, (_, i) => ({ key: `k${i}`, weight: random() < 0.1 ? 0 : Math.floor(random() * 1e6) }));
      if (parts.every((p) => p.weight === 0)) parts[0]!.weight = 1;
      const out = allocate(amount, parts);
      expect(sum(out.map((o) => o.amount))).toBe(amount);
      for (const [i, o] of out.entries()) {
        expect(o.amount).toBeGreaterThanOrEqual(0);
        if (parts[i]!.weight === 0) expect(o.amount).toBe(0);
        // Within one unit of the exact share.
        const exact = (amount * parts[i]!.weight) / sum(parts.map((p) => p.weight));
        expect(Math.abs(o.amount - exact)).toBeLessThan(1 + 1e-6 * exact);
      }
      expect(allocate(amount, parts)).toEqual(out);
    }
  });

  it('gives the same parts whether the arithmetic fits a double or needs BigInt (weights scaled alike)', () => {
    const random = seededRandom(12);
    for (let k = 0; k < 500; k++) {
      const amount = Math.floor(random() * 1e6);
      const parts = Array.from({ length: 1 + Math.floor(random() * 20) }, (_, i) => ({ key: `k${i}`, weight: 1 + Math.floor(random() * 100) }));
      // amount × total stays far below 2^53 here, and passes it once every weight is scaled by 1e9.
      const scaled = parts.map((p) => ({ ...p, weight: p.weight * 1_000_000_000 }));
      expect(allocate(amount, scaled)).toEqual(allocate(amount, parts));
    }
  });

  it('splits weights given in tie order exactly as keys in that order would', () => {
    const random = seededRandom(13);
    for (let k = 0; k < 500; k++) {
      const amount = Math.floor(random() ** 2 * (random() < 0.2 ? 1e15 : 1e4));
      const weights: number[] = Array.from({ length: 1 + Math.floor(random() * 12) }, () => (random() < 0.2 ? 0 : Math.floor(random() * (random() < 0.5 ? 4 : 1e9))));
      if (!weights.some((w) => w > 0)) weights[0] = 1;
      const keyed = allocate(amount, weights.map((weight, i) => ({ key: `k${String(i).padStart(3, '0')}`, weight })));
      expect(allocateInOrder(amount, weights)).toEqual(keyed.map((p) => p.amount));
    }
  });

  it('gives tied remainders to the larger weight, then to the key that sorts first', () => {
    expect(allocate(1, [{ key: 'b', weight: 1 }, { key: 'a', weight: 1 }])).toEqual([{ key: 'b', amount: 0 }, { key: 'a', amount: 1 }]);
    expect(allocate(2, [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }, { key: 'c', weight: 1 }])).toEqual([{ key: 'a', amount: 1 }, { key: 'b', amount: 1 }, { key: 'c', amount: 0 }]);
    expect(allocate(10, [{ key: 'x', weight: 3 }, { key: 'y', weight: 6 }, { key: 'z', weight: 0 }])).toEqual([{ key: 'x', amount: 3 }, { key: 'y', amount: 7 }, { key: 'z', amount: 0 }]);
  });

  it('keeps every source exact: streams (both ways), licences, outputs, commission', () => {
    const random = seededRandom(12);
    const total = (ps: Array<{ amount: number; withheld: number }>) => sum(ps.map((p) => p.amount + p.withheld));
    for (let k = 0; k < 300; k++) {
      const amount = Math.floor(random() * 1e9);
      const pub = Math.floor(random() * 1e6);
      const tracks = Array.from({ length: 1 + Math.floor(random() * 20) }, (_, i) => ({ trackId: `t${i}`, valid: Math.floor(random() * 100), flagged: random() < 0.3 ? Math.floor(random() * 20) : 0 }));
      if (tracks.every((t) => t.valid + t.flagged === 0)) tracks[0]!.valid = 1;
      const pro = streamsProRata(amount, tracks, pub);
      expect(total(pro)).toBe(amount);
      for (const p of pro) expect(Math.min(p.amount, p.withheld)).toBeGreaterThanOrEqual(0);
      const listeners = Array.from({ length: 1 + Math.floor(random() * 10) }, (_, l) => ({ listener: `l${l}`, plays: tracks.filter(() => random() < 0.5).map((t) => ({ ...t, valid: t.valid + 1 })) })).filter((l) => l.plays.length > 0);
      if (listeners.length > 0) expect(total(streamsUserCentric(amount, listeners, pub))).toBe(amount);
      expect(total(trainingFee(amount, tracks.map((t) => ({ trackId: t.trackId, durationMs: Math.floor(random() * 300_000) })), random() < 0.5 ? 'equal' : 'duration', pub))).toBe(amount);
      const shares = allocate(1_000_000, [...tracks.slice(0, 3).map((t) => ({ key: t.trackId, weight: 1 + Math.floor(random() * 10) })), { key: '', weight: Math.floor(random() * 10) }]);
      const layer = { shares: shares.filter((s) => s.key !== '').map((s) => ({ trackId: s.key, sharePpm: s.amount })), unattributedPpm: shares.find((s) => s.key === '')!.amount };
      expect(total(outputRevenue(amount, { master: layer, composition: layer }, Math.floor(random() * 1e6), tracks.map((t) => t.trackId)))).toBe(amount);
      const c = takeCommission(amount, { ppm: Math.floor(random() * 300_000), fixed: random() < 0.5 ? Math.floor(random() * 1000) : 0 });
      expect(c.commission + c.rest).toBe(amount);
      expect(c.rest).toBeGreaterThanOrEqual(0);
    }
  });

  it('leaves money with nothing to share over to the caller (suspense), not to an error', () => {
    expect(streamsProRata(100, [], 0)).toEqual([]);
    expect(streamsProRata(100, [{ trackId: 'a', valid: 0, flagged: 0 }], 0)).toEqual([]);
    expect(streamsUserCentric(100, [], 0)).toEqual([]);
    expect(trainingFee(100, [], 'equal', 0)).toEqual([]);
  });

  it('computes the worked example of docs/royalties.md to the cent', () => {
    const { commission, rest } = takeCommission(10_000, { ppm: 150_000 });
    expect([commission, rest]).toEqual([1500, 8500]);
    const parts = streamsProRata(rest, [{ trackId: 'A', valid: 3, flagged: 0 }, { trackId: 'B', valid: 2, flagged: 1 }], 200_000);
    expect(parts).toEqual([
      { trackId: 'A', kind: 'master', amount: 3400, withheld: 0 },
      { trackId: 'A', kind: 'publishing', amount: 850, withheld: 0 },
      { trackId: 'B', kind: 'master', amount: 2266, withheld: 1134 },
      { trackId: 'B', kind: 'publishing', amount: 567, withheld: 283 },
    ]);
    expect(splitTrack(3400, [{ holderId: 'X', sharePpm: 600_000 }, { holderId: 'Y', sharePpm: 400_000 }])).toEqual([{ holderId: 'X', amount: 2040 }, { holderId: 'Y', amount: 1360 }]);
    expect(splitTrack(567, [])).toEqual([{ holderId: null, amount: 567 }]);
  });

  it('refuses an entry that does not balance per currency', () => {
    const p = (account: string, currency: string, amount: number) => ({ account, currency, amount, trackId: null, memo: null });
    expect(() => checkEntry({ key: 'k', postings: [p('a', 'EUR', 5), p('b', 'EUR', -4)] })).toThrow(/off by 1 EUR/);
    expect(() => checkEntry({ key: 'k', postings: [p('a', 'EUR', 5), p('b', 'USD', -5)] })).toThrow(/off by/);
    expect(() => checkEntry({ key: 'k', postings: [p('a', 'EUR', 0.5), p('b', 'EUR', -0.5)] })).toThrow(/whole number/);
    expect(() => checkEntry({ key: 'k', postings: [p('a', 'XXX', 5), p('b', 'XXX', -5)] })).toThrow(/not a currency/);
    expect(() => checkEntry({ key: 'k', postings: [p('a', 'EUR', 5), p('b', 'EUR', -5)] })).not.toThrow();
  });
});
