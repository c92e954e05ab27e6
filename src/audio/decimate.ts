// Halving the sample rate with a half-band FIR: every other coefficient of a half-band filter
// is zero, so each output sample costs about a quarter of the taps (Vaidyanathan, "Multirate
// Systems and Filter Banks", §4.6). Repeated halving brings any common rate into the
// fingerprint's analysis band without fractional resampling.

import { toMono } from './mono.ts';

const TAPS = 31;
const CENTER = (TAPS - 1) / 2;

/** Odd-indexed (from the center) coefficients of a Kaiser-windowed half-band sinc; even ones are 0. */
const COEFFS = (() => {
  const c = new Float32Array(CENTER + 1);
  const beta = 6;
  const i0 = (v: number) => {
    let s = 1;
    let t = 1;
    for (let k = 1; k < 30; k++) {
      t *= (v / (2 * k)) ** 2;
      s += t;
    }
    return s;
  };
  for (let k = 0; k <= CENTER; k++) {
    const x = k;
    const sinc = x === 0 ? 0.5 : Math.sin((Math.PI * x) / 2) / (Math.PI * x);
    const w = i0(beta * Math.sqrt(1 - (x / (CENTER + 1)) ** 2)) / i0(beta);
    c[k] = sinc * w;
  }
  return c;
})();

export function halve(input: Float32Array): Float32Array {
  const n = input.length;
  const out = new Float32Array(n >> 1);
  const c0 = COEFFS[0]!;
  const [, c1, , c3, , c5, , c7, , c9, , c11, , c13, , c15] = COEFFS as unknown as number[];
  const edge = (j: number) => {
    const i = 2 * j;
    let acc = c0 * input[i]!;
    for (let k = 1; k <= CENTER; k += 2) {
      const a = i - k;
      const b = i + k;
      acc += COEFFS[k]! * ((a >= 0 ? input[a]! : 0) + (b < n ? input[b]! : 0));
    }
    out[j] = acc;
  };
  const first = (CENTER + 1) >> 1;
  const last = Math.min(out.length, Math.floor((n - 1 - CENTER) / 2) + 1);
  for (let j = 0; j < Math.min(first, out.length); j++) edge(j);
  // Interior: no bounds checks, coefficients in locals.
  for (let j = first; j < last; j++) {
    const i = 2 * j;
    out[j] =
      c0 * input[i]! +
      c1! * (input[i - 1]! + input[i + 1]!) +
      c3! * (input[i - 3]! + input[i + 3]!) +
      c5! * (input[i - 5]! + input[i + 5]!) +
      c7! * (input[i - 7]! + input[i + 7]!) +
      c9! * (input[i - 9]! + input[i + 9]!) +
      c11! * (input[i - 11]! + input[i + 11]!) +
      c13! * (input[i - 13]! + input[i + 13]!) +
      c15! * (input[i - 15]! + input[i + 15]!);
  }
  for (let j = Math.max(last, first); j < out.length; j++) edge(j);
  return out;
}

/**
 * A short half-band stage (7 taps, 2 multiplies per output) for every halving but the last.
 * An early stage only has to keep out what would alias into the final band, which lies far
 * below its own Nyquist, so a wide transition is enough. Coefficients: Kaiser-windowed sinc.
 */
const SHORT = (() => {
  const h = (k: number) => Math.sin((Math.PI * k) / 2) / (Math.PI * k);
  const w = (k: number) => 0.5 + 0.5 * Math.cos((Math.PI * k) / 4);
  const c1 = h(1) * w(1);
  const c3 = h(3) * w(3);
  const norm = 0.5 + 2 * (c1 + c3);
  return { c0: 0.5 / norm, c1: c1 / norm, c3: c3 / norm };
})();

function halveShort(input: Float32Array, mixWith?: Float32Array): Float32Array {
  const n = input.length;
  const out = new Float32Array(n >> 1);
  const { c0, c1, c3 } = SHORT;
  const x = mixWith ? (i: number) => 0.5 * (input[i]! + mixWith[i]!) : (i: number) => input[i]!;
  const at = (i: number) => (i < 0 || i >= n ? 0 : x(i));
  const last = Math.min(out.length, (n - 4) >> 1);
  for (let j = 0; j < Math.min(2, out.length); j++) {
    const i = 2 * j;
    out[j] = c0 * at(i) + c1 * (at(i - 1) + at(i + 1)) + c3 * (at(i - 3) + at(i + 3));
  }
  if (mixWith) {
    const l = input;
    const r = mixWith;
    const h0 = 0.5 * c0;
    const h1 = 0.5 * c1;
    const h3 = 0.5 * c3;
    for (let j = 2; j < last; j++) {
      const i = 2 * j;
      out[j] = h0 * (l[i]! + r[i]!) + h1 * (l[i - 1]! + r[i - 1]! + l[i + 1]! + r[i + 1]!) + h3 * (l[i - 3]! + r[i - 3]! + l[i + 3]! + r[i + 3]!);
    }
  } else {
    for (let j = 2; j < last; j++) {
      const i = 2 * j;
      out[j] = c0 * input[i]! + c1 * (input[i - 1]! + input[i + 1]!) + c3 * (input[i - 3]! + input[i + 3]!);
    }
  }
  for (let j = Math.max(2, last); j < out.length; j++) {
    const i = 2 * j;
    out[j] = c0 * at(i) + c1 * (at(i - 1) + at(i + 1)) + c3 * (at(i - 3) + at(i + 3));
  }
  return out;
}

/**
 * Mixes to mono and halves until the rate is below `below` Hz, with short stages first and the
 * sharp 31-tap stage last; stereo is mixed inside the first stage.
 */
export function mixAndDecimate(channels: Float32Array[], rate: number, below: number): { samples: Float32Array; rate: number } {
  let stages = 0;
  for (let r = rate; r >= below; r /= 2) stages++;
  if (stages === 0) return { samples: toMono(channels), rate };
  let s: Float32Array;
  let first: Float32Array | null = null;
  if (channels.length === 2 && stages > 1) first = halveShort(channels[0]!, channels[1]!);
  s = first ?? toMono(channels);
  let done = first ? 1 : 0;
  while (done < stages - 1) {
    s = halveShort(s);
    done++;
  }
  s = halve(s);
  return { samples: s, rate: rate / 2 ** stages };
}
