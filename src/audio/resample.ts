// Band-limited resampling by windowed-sinc interpolation (J. O. Smith, "Digital Audio
// Resampling Home Page", CCRMA, the "bandlimited interpolation" method), with the kernel
// tabulated once per ratio. When downsampling the kernel is stretched so its cutoff sits at
// 0.9 × the output Nyquist, which is the anti-aliasing filter. Cost grows with the output rate.

const ZERO_CROSSINGS = 8;
const TABLE_PER_ZC = 64;

function kaiser(x: number, beta: number): number {
  // Kaiser window w(x) for x in [-1, 1], I0 by its power series.
  const i0 = (v: number) => {
    let sum = 1;
    let term = 1;
    for (let k = 1; k < 30; k++) {
      term *= (v / (2 * k)) ** 2;
      sum += term;
      if (term < 1e-12 * sum) break;
    }
    return sum;
  };
  return i0(beta * Math.sqrt(Math.max(0, 1 - x * x))) / i0(beta);
}

const tables = new Map<string, Float32Array>();

function kernelTable(): Float32Array {
  const key = `${ZERO_CROSSINGS}/${TABLE_PER_ZC}`;
  let t = tables.get(key);
  if (!t) {
    const n = ZERO_CROSSINGS * TABLE_PER_ZC + 2;
    t = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const x = i / TABLE_PER_ZC;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      t[i] = x >= ZERO_CROSSINGS ? 0 : sinc * kaiser(x / ZERO_CROSSINGS, 7);
    }
    tables.set(key, t);
  }
  return t;
}

/** Resamples `input` from `fromRate` to `toRate` Hz. */
export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate) return input;
  const table = kernelTable();
  const ratio = toRate / fromRate;
  const outLen = Math.floor(input.length * ratio);
  const out = new Float32Array(outLen);
  // Filter scale: below 1 when downsampling, moving the cutoff to the output band.
  const scale = Math.min(1, ratio) * 0.9;
  const halfWidth = ZERO_CROSSINGS / scale;
  const step = scale * TABLE_PER_ZC;
  const n = input.length;
  for (let j = 0; j < outLen; j++) {
    const center = j / ratio;
    const lo = Math.max(0, Math.ceil(center - halfWidth));
    const hi = Math.min(n - 1, Math.floor(center + halfWidth));
    let acc = 0;
    for (let i = lo; i <= hi; i++) {
      const pos = Math.abs(center - i) * step;
      const k = pos | 0;
      const frac = pos - k;
      const w = table[k]! + frac * (table[k + 1]! - table[k]!);
      acc += input[i]! * w;
    }
    out[j] = acc * scale;
  }
  return out;
}
