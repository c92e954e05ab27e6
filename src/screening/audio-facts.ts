// What the audio itself says about spam: silence, noise, a short loop repeated to fill time,
// and a length chosen to just clear the 30-second royalty threshold. Pure, over one mono signal
// at any rate: screening passes the fingerprint's analysis signal (about 5.5 kHz), which is
// already made, so these facts cost a few milliseconds. Every fact here lives well inside that
// band: silence and level, how noise-like the spectrum is, and the band envelope a loop repeats.

import { hann, RealFft } from '../audio/index.ts';

export interface AudioFacts {
  seconds: number;
  /** Share of 100-ms frames quieter than -60 dBFS. */
  silentShare: number;
  /** Mean spectral flatness of the non-silent frames (1 = white noise, near 0 = tones). */
  flatness: number;
  /** Variation of the frames' level, dB (standard deviation): music moves, steady noise does not. */
  levelSpreadDb: number;
  /** The period, seconds, at which the track is most like itself shifted, and the mean band difference there, dB. */
  loop: { periodSeconds: number; differenceDb: number } | null;
}

const FRAME_SECONDS = 0.1;
const SILENT_DB = -60;
const BANDS = 24;
/** Loops longer than this are songs with repeated sections, not filler. */
const MAX_LOOP_SECONDS = 30;
/** Lags whose difference is within this of the best are the same fit. */
const LOOP_TIE_DB = 0.1;

/**
 * Frame features every 100 ms: the level (dBFS) over the whole frame; spectral flatness and a
 * 24-band log-spectrum envelope from one window at its start (the largest power of two up to
 * 50 ms), up to 80% of Nyquist, below the decimation filters' roll-off.
 */
function frames(samples: Float32Array, rate: number) {
  const hop = Math.round(rate * FRAME_SECONDS);
  let size = 64;
  while (size * 2 <= Math.min(hop, rate * 0.05)) size *= 2;
  const top = Math.floor(0.8 * (size / 2));
  const fft = new RealFft(size);
  const window = hann(size);
  const buf = new Float64Array(size);
  const out = new Float32Array(size / 2 + 1);
  const count = Math.floor(samples.length / hop);
  const level = new Float64Array(count);
  const flat = new Float64Array(count);
  const env = new Float32Array(count * BANDS);
  // Quadratic band edges (finer at the bottom, where music's structure is), at least one bin each.
  const edges = Array.from({ length: BANDS + 1 }, (_, b) => (b === BANDS ? top : Math.max(b + 1, Math.round(top * (b / BANDS) ** 2))));
  for (let f = 0; f < count; f++) {
    const start = f * hop;
    let ms = 0;
    for (let i = 0; i < hop; i++) ms += samples[start + i]! * samples[start + i]!;
    level[f] = 10 * Math.log10(ms / hop + 1e-20);
    for (let i = 0; i < size; i++) buf[i] = samples[start + i]! * window[i]!;
    fft.power(buf, out);
    let logSum = 0;
    let sum = 0;
    for (let k = 1; k < top; k++) {
      const p = out[k]! + 1e-20;
      logSum += Math.log(p);
      sum += p;
    }
    const bins = top - 1;
    flat[f] = Math.exp(logSum / bins) / (sum / bins);
    for (let b = 0; b < BANDS; b++) {
      let e = 0;
      for (let k = edges[b]!; k < edges[b + 1]!; k++) e += out[k]!;
      env[f * BANDS + b] = Math.log10(e + 1e-12);
    }
  }
  return { count, level, flat, env };
}

/**
 * Mean absolute difference, dB, between the band envelopes of frames `lag` apart over the whole
 * track (skipping pairs where both are silent). An exact loop gives 0; a re-encoded loop a
 * fraction of a dB; music that repeats a chorus differs by several dB somewhere.
 */
function differenceAt(env: Float32Array, level: Float64Array, count: number, lag: number): number {
  let total = 0;
  let n = 0;
  for (let f = 0; f + lag < count; f++) {
    if (level[f]! < SILENT_DB && level[f + lag]! < SILENT_DB) continue;
    let d = 0;
    for (let b = 0; b < BANDS; b++) d += Math.abs(env[f * BANDS + b]! - env[(f + lag) * BANDS + b]!);
    total += (10 * d) / BANDS;
    n++;
  }
  return n ? total / n : Infinity;
}

/** Facts of a mono signal at `rate` Hz. */
export function audioFacts(samples: Float32Array, rate: number): AudioFacts {
  const seconds = samples.length / rate;
  const { count, level, flat, env } = frames(samples, rate);
  let silent = 0;
  let flatSum = 0;
  let loud = 0;
  let mean = 0;
  for (let f = 0; f < count; f++) {
    if (level[f]! < SILENT_DB) silent++;
    else {
      flatSum += flat[f]!;
      mean += level[f]!;
      loud++;
    }
  }
  mean = loud ? mean / loud : 0;
  let spread = 0;
  for (let f = 0; f < count; f++) if (level[f]! >= SILENT_DB) spread += (level[f]! - mean) ** 2;
  // A loop: the track is alike with itself shifted by one period for its whole length, at least
  // three periods. Searched from 2 s to a third of the track (at most 30 s), on the 100-ms grid.
  let loop: AudioFacts['loop'] = null;
  if (loud > 0 && count >= 60) {
    const minLag = Math.round(2 / FRAME_SECONDS);
    const maxLag = Math.min(Math.floor(count / 3), Math.round(MAX_LOOP_SECONDS / FRAME_SECONDS));
    const diffs = new Float64Array(maxLag + 1).fill(Infinity);
    let best = Infinity;
    for (let lag = minLag; lag <= maxLag; lag++) {
      diffs[lag] = differenceAt(env, level, count, lag);
      best = Math.min(best, diffs[lag]!);
    }
    // Multiples of a loop's period fit it as well: report the shortest lag that fits as well as the best.
    let bestLag = minLag;
    while (bestLag < maxLag && diffs[bestLag]! > best + LOOP_TIE_DB) bestLag++;
    if (Number.isFinite(best)) loop = { periodSeconds: Math.round(bestLag * FRAME_SECONDS * 10) / 10, differenceDb: Math.round(diffs[bestLag]! * 1000) / 1000 };
  }
  return {
    seconds,
    silentShare: count ? silent / count : 1,
    flatness: loud ? flatSum / loud : 0,
    levelSpreadDb: loud ? Math.sqrt(spread / loud) : 0,
    loop,
  };
}
