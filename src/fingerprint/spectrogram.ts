// Log-power spectrogram over the fingerprint band, Hann-windowed, one row per hop. Frames start
// at round(k × hop × rate), so the time grid is the same in seconds at any analysis rate.

import { hann, RealFft } from '../audio/index.ts';
import type { FingerprintConfig } from './config.ts';

export interface Spectrogram {
  frames: number;
  /** First and last FFT bin kept (inclusive) and the bin width in Hz. */
  loBin: number;
  hiBin: number;
  binHz: number;
  /** frames × (hiBin - loBin + 1) values of ln(power + ε), row-major. */
  data: Float32Array;
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/**
 * Natural log from the float's exponent and a quadratic fit of log2 on the mantissa in [1, 2)
 * (error below 0.005 nats); peak picking needs order and rough curvature, not ulp accuracy.
 */
function fastLn(x: number): number {
  f32[0] = x;
  const bits = i32[0]!;
  const e = (bits >> 23) - 127;
  i32[0] = (bits & 0x7fffff) | 0x3f800000;
  const m = f32[0]!;
  const log2 = e + (-0.34484843 * m + 2.02466578) * m - 0.67487759;
  return log2 * Math.LN2;
}

const ffts = new Map<number, { fft: RealFft; window: Float32Array; frame: Float64Array; power: Float32Array }>();

function kit(size: number) {
  let k = ffts.get(size);
  if (!k) {
    k = { fft: new RealFft(size), window: Float32Array.from(hann(size)), frame: new Float64Array(size), power: new Float32Array(size / 2 + 1) };
    ffts.set(size, k);
  }
  return k;
}

export function spectrogram(samples: Float32Array, rate: number, cfg: FingerprintConfig): Spectrogram {
  const { fft, window, frame, power } = kit(cfg.fftSize);
  const n = cfg.fftSize;
  const binHz = rate / n;
  const loBin = Math.max(1, Math.floor(cfg.minHz / binHz));
  const hiBin = Math.min(n / 2 - 1, Math.ceil(cfg.maxHz / binHz));
  const width = hiBin - loBin + 1;
  const hop = cfg.hopSeconds * rate;
  const frames = samples.length < n ? 0 : Math.floor((samples.length - n) / hop) + 1;
  const data = new Float32Array(frames * width);
  for (let f = 0; f < frames; f++) {
    const start = Math.round(f * hop);
    for (let i = 0; i < n; i++) frame[i] = samples[start + i]! * window[i]!;
    fft.power(frame, power);
    const row = f * width;
    for (let b = 0; b < width; b++) data[row + b] = fastLn(power[loBin + b]! + 1e-10);
  }
  return { frames, loBin, hiBin, binHz, data };
}
