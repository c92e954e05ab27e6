// Whether a comb's lines keep one phase through the whole file: the share of their energy that is
// a single periodic waveform locked to the sample clock.
//
// Physics: an upsampling stack adds the same pattern every n samples for as long as it runs (its
// biases and the phase-dependent part of its kernels do not change with the music), so each line
// of its comb is a steady sinusoid: measured in frames starting at s_f, harmonic k of spacing Δ
// has the phase φ_k + 2π k Δ s_f / fs, and rotating each frame's value back by that advance lines
// them all up. A speed change rescales Δ but keeps the pattern locked. Music's periodicities do
// not stay locked: a tracker's tick modulates whatever notes are playing, notes change, are
// retriggered and drift in pitch, so the lines' phases wander and the rotated values cancel. This
// is the phase counterpart of the comb's level, and it does not need the spacing to be a whole
// divisor of the rate, which a speed change takes away.
//
// Measure: for each of up to MAX_HARMONICS harmonics, in the bin where the line stands, the
// frames' values X_f rotated back and summed: |Σ X_f e^{-iθ_f}|² / Σ |X_f|² is about 1 (an
// exponential variable of mean 1) when the phases are random and F when the line is all of the
// bin. With a locked share c of the bin's energy its mean is c F + (1 - c), so the share is
// (mean - 1) / (F - 1), averaged over the harmonics. The spacing is known only to about a bin over
// the highest harmonic, far too coarsely to predict its phase over minutes, so it is stepped
// through that uncertainty finely enough (a phase error under π/4 at the highest harmonic over the
// file) and the best-aligned spacing is kept.

import type { FrameSpectra } from './spectrum.ts';

export interface PhaseLock {
  /** Share of the lines' energy that keeps one phase through the file, 0..1. */
  share: number;
  /** The spacing the phases line up best at, Hz (finer than the spectrum resolves). */
  spacingHz: number;
  harmonics: number;
  frames: number;
}

/** Harmonics measured at most, spread over the band: the share is an average, and this bounds the cost. */
const MAX_HARMONICS = 64;
/** Spacing steps at most, whatever the file's length. */
const MAX_STEPS = 8192;

/**
 * The locked share of the comb at `spacingHz` (known to ±`tolerance`, relative) between `loHz` and
 * `hiHz`, from the frames' complex spectra; null with fewer than 4 frames or no harmonic inside.
 */
export function phaseLock(kept: FrameSpectra, rate: number, binHz: number, spacingHz: number, tolerance: number, loHz: number, hiHz: number): PhaseLock | null {
  const F = kept.starts.length;
  if (F < 4) return null;
  const bins = kept.re[0]!.length;
  const first = Math.max(1, Math.ceil(loHz / spacingHz));
  const last = Math.floor(hiHz / spacingHz);
  const count = last - first + 1;
  if (count < 1) return null;
  const K = Math.min(MAX_HARMONICS, count);
  // For each chosen harmonic, the bin where its line stands (the strongest on average within the
  // spacing's uncertainty) and that bin's energy over the frames.
  const ks = new Float64Array(K);
  const binOf = new Int32Array(K);
  const energy = new Float64Array(K);
  for (let j = 0; j < K; j++) {
    const k = first + Math.floor((j * count) / K);
    ks[j] = k;
    const lo = Math.round((k * spacingHz * (1 - tolerance)) / binHz) - kept.loBin;
    const hi = Math.round((k * spacingHz * (1 + tolerance)) / binHz) - kept.loBin;
    let best = -1;
    let bestPower = -1;
    for (let m = Math.max(0, lo); m <= Math.min(bins - 1, hi); m++) {
      let p = 0;
      for (let f = 0; f < F; f++) p += kept.re[f]![m]! ** 2 + kept.im[f]![m]! ** 2;
      if (p > bestPower) {
        bestPower = p;
        best = m;
      }
    }
    if (best < 0) return null;
    binOf[j] = best;
    energy[j] = bestPower;
  }
  const span = (kept.starts[F - 1]! - kept.starts[0]!) / rate;
  const kTop = ks[K - 1]!;
  const from = spacingHz * (1 - tolerance);
  const range = 2 * tolerance * spacingHz;
  const steps = Math.min(MAX_STEPS, Math.max(1, Math.ceil(range * 8 * kTop * span)));
  const step = range / steps;
  // The rotation of frame f's harmonic k at the current spacing, and its increment per step: both
  // phasors, advanced by multiplication so the sweep takes no trigonometry.
  const n = K * F;
  const pr = new Float64Array(n);
  const pi = new Float64Array(n);
  const rr = new Float64Array(n);
  const ri = new Float64Array(n);
  const xr = new Float64Array(n);
  const xi = new Float64Array(n);
  for (let j = 0; j < K; j++) {
    for (let f = 0; f < F; f++) {
      const i = j * F + f;
      const t = (kept.starts[f]! - kept.starts[0]!) / rate;
      const cycles = ks[j]! * from * t;
      const a = -2 * Math.PI * (cycles - Math.floor(cycles));
      pr[i] = Math.cos(a);
      pi[i] = Math.sin(a);
      const b = -2 * Math.PI * ks[j]! * step * t;
      rr[i] = Math.cos(b);
      ri[i] = Math.sin(b);
      xr[i] = kept.re[f]![binOf[j]!]!;
      xi[i] = kept.im[f]![binOf[j]!]!;
    }
  }
  let bestMean = -Infinity;
  let bestAt = 0;
  for (let s = 0; s <= steps; s++) {
    let total = 0;
    for (let j = 0; j < K; j++) {
      let sr = 0;
      let si = 0;
      for (let i = j * F, end = i + F; i < end; i++) {
        const a = pr[i]!;
        const b = pi[i]!;
        sr += xr[i]! * a - xi[i]! * b;
        si += xr[i]! * b + xi[i]! * a;
        pr[i] = a * rr[i]! - b * ri[i]!;
        pi[i] = a * ri[i]! + b * rr[i]!;
      }
      total += (sr * sr + si * si) / (energy[j]! + 1e-30);
    }
    if (total > bestMean * K) {
      bestMean = total / K;
      bestAt = s;
    }
  }
  return { share: Math.min(1, Math.max(0, (bestMean - 1) / (F - 1))), spacingHz: from + bestAt * step, harmonics: K, frames: F };
}
