// Chroma: the energy of each of the twelve pitch classes over time, the feature cover-song
// identification is built on because it keeps melody and harmony and drops timbre and
// octave (Fujishima 1999; Müller, "Fundamentals of Music Processing", 2015, §3.1.2).
//
// Spectral magnitudes between MIN_HZ and MAX_HZ are compressed, log(1 + γ·|X|) (Müller §3.1.2.1:
// quiet notes count, loud ones do not drown them), then each bin is shared between the two
// nearest semitone centres of an equal-tempered scale tuned to the recording's own reference
// (estimated from the strongest peaks' deviation from A4 = 440 Hz, so a band tuned 30 cents
// sharp reads the same pitch classes). Frames of HOP_SECONDS are averaged over
// FRAME_SECONDS, which keeps chords and drops passing notes, then each frame is scaled to unit
// length; silent frames stay zero.

import { hann, RealFft } from '../audio/index.ts';

export const FRAME_SECONDS = 0.5;
const HOP_SECONDS = 0.1;
const MIN_HZ = 65;
const MAX_HZ = 2100;
/** Peaks more than 40 dB below the frame's strongest are noise. */
const PEAK_FLOOR = 0.01;
/** Semitones a peak's cos² window spans. */
const WIDTH = 4 / 3;

export interface Chroma {
  /** frames × 12, pitch class 0 = the recording's own C, row-major. */
  data: Float32Array;
  frames: number;
  /** Seconds per frame. */
  frameSeconds: number;
  /** Cents the recording's tuning lies above A4 = 440 Hz. */
  tuningCents: number;
}

function fftSizeFor(rate: number): number {
  // About 0.37 s: enough to part semitones an octave above MIN_HZ.
  let n = 256;
  while (n < rate * 0.37) n *= 2;
  return n;
}

/** Cents above A4 = 440 Hz of frequency f. */
const centsOf = (f: number) => 1200 * Math.log2(f / 440);

/** Deviation of the recording's tuning from 440 Hz, in cents (-50..50), from its magnitude-weighted peaks. */
function estimateTuning(mags: Float32Array[], binHz: number, lo: number, hi: number): number {
  // Circular mean of each peak's offset from the nearest semitone, weighted by its magnitude.
  let s = 0;
  let c = 0;
  for (const m of mags) {
    for (let b = lo + 1; b < hi; b++) {
      const v = m[b]!;
      if (v <= m[b - 1]! || v < m[b + 1]!) continue;
      // Parabolic interpolation of the peak's true bin.
      const d = (0.5 * (m[b - 1]! - m[b + 1]!)) / (m[b - 1]! - 2 * v + m[b + 1]! || 1);
      const offset = centsOf((b + d) * binHz) / 100;
      const phase = 2 * Math.PI * (offset - Math.round(offset));
      s += v * Math.sin(phase);
      c += v * Math.cos(phase);
    }
  }
  return s === 0 && c === 0 ? 0 : (Math.atan2(s, c) / (2 * Math.PI)) * 100;
}

/** Chroma of a mono signal. */
export function chromaOf(samples: Float32Array, rate: number): Chroma {
  const n = fftSizeFor(rate);
  const hop = Math.max(1, Math.round(HOP_SECONDS * rate));
  const binHz = rate / n;
  const lo = Math.max(2, Math.floor(MIN_HZ / binHz));
  const hi = Math.min(n / 2 - 2, Math.ceil(MAX_HZ / binHz));
  const fft = new RealFft(n);
  const window = hann(n);
  const frame = new Float64Array(n);
  const power = new Float32Array(n / 2 + 1);
  const count = samples.length < n ? 0 : Math.floor((samples.length - n) / hop) + 1;
  const mags: Float32Array[] = [];
  for (let f = 0; f < count; f++) {
    const start = f * hop;
    for (let i = 0; i < n; i++) frame[i] = samples[start + i]! * window[i]!;
    fft.power(frame, power);
    const m = new Float32Array(hi + 2);
    for (let b = lo - 1; b <= hi + 1; b++) m[b] = Math.sqrt(power[b]!);
    mags.push(m);
  }
  const tuningCents = estimateTuning(mags.filter((_, i) => i % 4 === 0), binHz, lo, hi);
  const per = Math.max(1, Math.round(FRAME_SECONDS / HOP_SECONDS));
  const frames = Math.floor(count / per);
  const data = new Float32Array(frames * 12);
  const hop12 = new Float64Array(12);
  for (let f = 0; f < frames; f++) {
    const row = f * 12;
    for (let k = 0; k < per; k++) {
      const m = mags[f * per + k]!;
      let top = 0;
      for (let b = lo; b <= hi; b++) top = Math.max(top, m[b]!);
      if (top === 0) continue;
      hop12.fill(0);
      // Only spectral peaks carry pitch (harmonic pitch class profile, Gómez 2006): the smooth
      // envelope between them is timbre and noise. Each peak, at its interpolated frequency,
      // adds its level above PEAK_FLOOR to the pitch classes within a semitone of it, by a cos²
      // window one and a third semitones wide.
      for (let b = lo; b <= hi; b++) {
        const v = m[b]!;
        if (v <= m[b - 1]! || v < m[b + 1]! || v < top * PEAK_FLOOR) continue;
        const d = (0.5 * (m[b - 1]! - m[b + 1]!)) / (m[b - 1]! - 2 * v + m[b + 1]! || 1);
        const semis = 9 + (centsOf((b + d) * binHz) - tuningCents) / 100;
        const level = Math.log(v / (top * PEAK_FLOOR));
        const nearest = Math.round(semis);
        for (let s = nearest - 1; s <= nearest + 1; s++) {
          const dist = Math.abs(semis - s);
          if (dist >= WIDTH / 2) continue;
          hop12[((s % 12) + 12) % 12]! += level * Math.cos((Math.PI * dist) / WIDTH) ** 2;
        }
      }
      for (let c = 0; c < 12; c++) data[row + c]! += hop12[c]!;
    }
    let norm = 0;
    for (let c = 0; c < 12; c++) norm += data[row + c]! ** 2;
    norm = Math.sqrt(norm);
    for (let c = 0; c < 12; c++) data[row + c] = norm > 1e-9 ? data[row + c]! / norm : 0;
  }
  return { data, frames, frameSeconds: (per * hop) / rate, tuningCents };
}
