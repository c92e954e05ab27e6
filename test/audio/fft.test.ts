// The FFT against the definition of the DFT, and the inverse against the forward transform.

import { describe, expect, it } from 'vitest';
import { RealFft } from '../../src/audio/index.ts';
import { seededRandom } from '../../src/shared/index.ts';

describe('RealFft', () => {
  it('gives the DFT (complex spectrum, power, and power with some bins kept) and inverts it back to the signal', () => {
    const rand = seededRandom(11);
    for (const n of [4, 8, 32, 512]) {
      const fft = new RealFft(n);
      const x = Float64Array.from({ length: n }, () => rand() * 2 - 1);
      const re = new Float64Array(n / 2 + 1);
      const im = new Float64Array(n / 2 + 1);
      const power = new Float32Array(n / 2 + 1);
      fft.spectrum(x, re, im);
      fft.power(x, power);
      for (let k = 0; k <= n / 2; k++) {
        let dr = 0;
        let di = 0;
        for (let t = 0; t < n; t++) {
          dr += x[t]! * Math.cos((-2 * Math.PI * k * t) / n);
          di += x[t]! * Math.sin((-2 * Math.PI * k * t) / n);
        }
        expect(re[k]).toBeCloseTo(dr, 9);
        expect(im[k]).toBeCloseTo(di, 9);
        expect(power[k]! / (dr * dr + di * di)).toBeCloseTo(1, 5);
      }
      // Power and the kept bins in one pass: the same numbers, from bin 0 or from further up.
      for (const from of [0, 1, n / 4, n / 2]) {
        const kp = new Float32Array(n / 2 + 1);
        const kr = new Float32Array(n / 2 + 1 - from);
        const ki = new Float32Array(n / 2 + 1 - from);
        fft.powerKeeping(x, kp, from, kr, ki);
        expect(kp).toEqual(power);
        for (let k = from; k <= n / 2; k++) {
          expect(kr[k - from]).toBeCloseTo(re[k]!, 5);
          expect(ki[k - from]).toBeCloseTo(im[k]!, 5);
        }
      }
      const back = new Float64Array(n);
      fft.inverse(re, im, back);
      for (let t = 0; t < n; t++) expect(back[t]).toBeCloseTo(x[t]!, 12);
    }
  });
});
