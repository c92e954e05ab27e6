// Synthetic positives made by the physics the detector relies on: audio passed through a random
// stack of transposed convolutions (zero insertion by the stride, then a short random kernel, a
// random bias and a Snake nonlinearity, as in neural-codec decoders; Ziyin et al. 2020 for Snake),
// at a random model sample rate. "alone" is the stack's output; "mixed" puts it 30 dB under the
// human original, the faintest trace a partly generated track would carry.
// The kernels are random, not trained: the detector must not depend on any one set of weights.

import { seededRandom } from '../src/shared/index.ts';

export interface Stack {
  strides: number[];
  rate: number;
}

const STRIDE_CHOICES = [2, 3, 4, 5, 8];

export function randomStack(rand: () => number): Stack {
  const layers = 3 + Math.floor(rand() * 2);
  const strides = Array.from({ length: layers }, () => STRIDE_CHOICES[Math.floor(rand() * STRIDE_CHOICES.length)]!);
  const rate = [24000, 32000, 44100, 48000][Math.floor(rand() * 4)]!;
  return { strides, rate };
}

/** Runs `x` (mono, at stack.rate) down by the strides' product and back up through the stack. */
export function throughStack(x: Float32Array, stack: Stack, seed: number): Float32Array {
  const rand = seededRandom(seed);
  const product = stack.strides.reduce((a, b) => a * b, 1);
  // Encoder stand-in: box-filter and decimate to the latent rate.
  const n = Math.floor(x.length / product);
  let cur = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < product; j++) s += x[i * product + j]!;
    cur[i] = s / product;
  }
  for (const s of stack.strides) {
    const len = 2 * s;
    const kernel = new Float32Array(len);
    // A smooth interpolation kernel with learned-looking irregularity.
    for (let k = 0; k < len; k++) kernel[k] = (0.5 - 0.5 * Math.cos((2 * Math.PI * (k + 0.5)) / len)) * (1 + 0.3 * (rand() * 2 - 1));
    const bias = 0.02 * (rand() * 2 - 1);
    const alpha = 1 + rand() * 4;
    const up = new Float32Array(cur.length * s + len);
    for (let i = 0; i < cur.length; i++) {
      const v = cur[i]!;
      const base = i * s;
      for (let k = 0; k < len; k++) up[base + k]! += v * kernel[k]!;
    }
    const out = new Float32Array(cur.length * s);
    for (let i = 0; i < out.length; i++) {
      const v = up[i]! + bias;
      const sn = Math.sin(alpha * v);
      out[i] = v + (sn * sn) / alpha;
    }
    cur = out;
  }
  // Remove the DC the biases leave and normalise to the input's level.
  let mean = 0;
  for (const v of cur) mean += v;
  mean /= cur.length || 1;
  let ex = 0;
  let ey = 0;
  for (let i = 0; i < cur.length; i++) {
    cur[i]! -= mean;
    ey += cur[i]! * cur[i]!;
    ex += x[i]! * x[i]!;
  }
  const g = Math.sqrt(ex / (ey || 1));
  for (let i = 0; i < cur.length; i++) cur[i]! *= g;
  return cur;
}

/** `human` with `generated` added `db` below it (by RMS), same length as the shorter. */
export function mixUnder(human: Float32Array, generated: Float32Array, db: number): Float32Array {
  const n = Math.min(human.length, generated.length);
  let eh = 0;
  let eg = 0;
  for (let i = 0; i < n; i++) {
    eh += human[i]! * human[i]!;
    eg += generated[i]! * generated[i]!;
  }
  const g = Math.sqrt(eh / (eg || 1)) * 10 ** (-db / 20);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = human[i]! + g * generated[i]!;
  return out;
}
