// Halving the sample rate with a half-band FIR: every other coefficient of a half-band filter
// is zero, so each output sample costs about a quarter of the taps (Vaidyanathan, "Multirate
// Systems and Filter Banks", §4.6). Repeated halving brings any common rate into the
// fingerprint's analysis band without fractional resampling.

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

/** Halves until the rate is below `below` Hz; returns the signal and its new rate. */
export function decimateBelow(input: Float32Array, rate: number, below: number): { samples: Float32Array; rate: number } {
  let s = input;
  let r = rate;
  while (r >= below) {
    s = halve(s);
    r /= 2;
  }
  return { samples: s, rate: r };
}
