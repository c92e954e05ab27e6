// The discrete Laplace sampler draws from exactly the distribution it names: measured against
// the closed form P(x) = (1 - q)/(1 + q) q^|x|, q = exp(-1/scale), on many draws.

import { describe, expect, it } from 'vitest';
import { bernoulliExp, discreteLaplace } from '../../src/privacy/index.ts';
import { seededRandom } from '../../src/shared/index.ts';

describe('discrete Laplace', () => {
  it('matches the closed form within sampling error', () => {
    const random = seededRandom(9);
    const rand = (below: number) => Math.floor(random() * below);
    for (const [s, t] of [
      [1, 1],
      [2, 3],
      [1, 4],
    ] as const) {
      const scale = t / s;
      const q = Math.exp(-1 / scale);
      const n = 40_000;
      const counts = new Map<number, number>();
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const x = discreteLaplace(s, t, rand);
        expect(Number.isInteger(x)).toBe(true);
        counts.set(x, (counts.get(x) ?? 0) + 1);
        sum += x;
      }
      for (const x of [-2, -1, 0, 1, 2]) {
        const p = ((1 - q) / (1 + q)) * q ** Math.abs(x);
        const sd = Math.sqrt((p * (1 - p)) / n);
        expect(Math.abs((counts.get(x) ?? 0) / n - p)).toBeLessThan(5 * sd);
      }
      // Symmetric about zero.
      expect(Math.abs(sum / n)).toBeLessThan(5 * Math.sqrt((2 * q) / (1 - q) ** 2 / n));
    }
  });

  it('draws Bernoulli(exp(-γ)) for γ above and below one', () => {
    const random = seededRandom(10);
    const rand = (below: number) => Math.floor(random() * below);
    for (const [n, d] of [
      [1, 3],
      [5, 2],
    ] as const) {
      let ones = 0;
      for (let i = 0; i < 40_000; i++) if (bernoulliExp(n, d, rand)) ones++;
      const p = Math.exp(-n / d);
      expect(Math.abs(ones / 40_000 - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / 40_000));
    }
  });
});
