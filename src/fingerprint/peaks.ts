// Spectral peaks: points that are the maximum of their time-frequency neighbourhood and stand
// above the local level, refined by parabolic interpolation to sub-bin frequency and sub-frame
// time (J. O. Smith, "Spectral Audio Signal Processing", quadratic interpolation of spectral
// peaks). The strongest `peaksPerSecond` per second are kept, so density does not depend on
// loudness and a noisy copy keeps the same strong peaks as its original.

import type { FingerprintConfig } from './config.ts';
import { REF_HZ } from './config.ts';
import type { Spectrogram } from './spectrogram.ts';

export interface Peaks {
  count: number;
  /** Time in frames (fractional), ascending. */
  time: Float32Array;
  /** Frequency in cents above REF_HZ. */
  cents: Float32Array;
  /** Strength above the local level (log power). */
  strength: Float32Array;
}

/** Sliding maximum of `src[off + i*stride]`, i in [0, n), over ±r, into `dst` (van Herk / Gil-Werman). */
function slidingMax(src: Float32Array, off: number, stride: number, n: number, r: number, dst: Float32Array, g: Float32Array, h: Float32Array) {
  const w = 2 * r + 1;
  for (let i = 0; i < n; i++) {
    const v = src[off + i * stride]!;
    g[i] = i % w === 0 ? v : Math.max(g[i - 1]!, v);
  }
  for (let i = n - 1; i >= 0; i--) {
    const v = src[off + i * stride]!;
    h[i] = i === n - 1 || (i + 1) % w === 0 ? v : Math.max(h[i + 1]!, v);
  }
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, i - r);
    const hi = Math.min(n - 1, i + r);
    dst[i] = Math.max(h[lo]!, g[hi]!);
  }
}

/** Sliding maximum over ±r rows of a row-major frames × width matrix, row by row. */
function slidingMaxRows(src: Float32Array, frames: number, width: number, r: number): Float32Array {
  const w = 2 * r + 1;
  const g = new Float32Array(src.length);
  const h = new Float32Array(src.length);
  for (let f = 0; f < frames; f++) {
    const row = f * width;
    if (f % w === 0) g.set(src.subarray(row, row + width), row);
    else for (let b = 0; b < width; b++) g[row + b] = Math.max(g[row - width + b]!, src[row + b]!);
  }
  for (let f = frames - 1; f >= 0; f--) {
    const row = f * width;
    if (f === frames - 1 || (f + 1) % w === 0) h.set(src.subarray(row, row + width), row);
    else for (let b = 0; b < width; b++) h[row + b] = Math.max(h[row + width + b]!, src[row + b]!);
  }
  const out = new Float32Array(src.length);
  for (let f = 0; f < frames; f++) {
    const lo = Math.max(0, f - r) * width;
    const hi = Math.min(frames - 1, f + r) * width;
    const row = f * width;
    for (let b = 0; b < width; b++) out[row + b] = Math.max(h[lo + b]!, g[hi + b]!);
  }
  return out;
}

export function findPeaks(s: Spectrogram, cfg: FingerprintConfig): Peaks {
  const width = s.hiBin - s.loBin + 1;
  const frames = s.frames;
  const d = s.data;
  if (frames < 3) return { count: 0, time: new Float32Array(0), cents: new Float32Array(0), strength: new Float32Array(0) };
  // Frequency radius in bins varies with frequency on a cents scale; use the radius at the
  // band's middle so the filter stays separable and fast.
  const midHz = Math.sqrt(cfg.minHz * cfg.maxHz);
  const rf = Math.max(1, Math.round((midHz * (2 ** (cfg.peakRadiusCents / 1200) - 1)) / s.binHz));
  const rt = cfg.peakRadiusFrames;
  const maxF = new Float32Array(d.length);
  const g = new Float32Array(Math.max(width, frames));
  const h = new Float32Array(Math.max(width, frames));
  const tmp = new Float32Array(Math.max(width, frames));
  for (let f = 0; f < frames; f++) {
    slidingMax(d, f * width, 1, width, rf, tmp, g, h);
    maxF.set(tmp.subarray(0, width), f * width);
  }
  // Time direction: the same van Herk scheme run over whole rows, so memory is read in order.
  const max2 = slidingMaxRows(maxF, frames, width, rt);
  // Local level: the mean log power of each frame over the band.
  const level = new Float32Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let b = 0; b < width; b++) sum += d[f * width + b]!;
    level[f] = sum / width;
  }
  const candT: number[] = [];
  const candC: number[] = [];
  const candS: number[] = [];
  for (let f = 1; f < frames - 1; f++) {
    const row = f * width;
    for (let b = 1; b < width - 1; b++) {
      const v = d[row + b]!;
      if (v !== max2[row + b]! || v < level[f]! + 1.0) continue;
      // Parabolic refinement in frequency and in time.
      const l = d[row + b - 1]!;
      const r = d[row + b + 1]!;
      const denF = l - 2 * v + r;
      const db = denF < 0 ? (0.5 * (l - r)) / denF : 0;
      const u = d[row - width + b]!;
      const w = d[row + width + b]!;
      const denT = u - 2 * v + w;
      const dt = denT < 0 ? (0.5 * (u - w)) / denT : 0;
      const hz = (s.loBin + b + db) * s.binHz;
      candT.push(f + dt);
      candC.push(1200 * Math.log2(hz / REF_HZ));
      candS.push(v - level[f]!);
    }
  }
  // Keep the strongest per one-second block.
  const framesPerSecond = 1 / cfg.hopSeconds;
  const blockFrames = Math.round(framesPerSecond);
  const keep: number[] = [];
  let i = 0;
  while (i < candT.length) {
    const block = Math.floor(candT[i]! / blockFrames);
    let j = i;
    while (j < candT.length && Math.floor(candT[j]! / blockFrames) === block) j++;
    const idx = Array.from({ length: j - i }, (_, k) => i + k).sort((a, b) => candS[b]! - candS[a]!);
    for (const k of idx.slice(0, cfg.peaksPerSecond)) keep.push(k);
    i = j;
  }
  keep.sort((a, b) => candT[a]! - candT[b]! || candC[a]! - candC[b]!);
  const out: Peaks = {
    count: keep.length,
    time: new Float32Array(keep.length),
    cents: new Float32Array(keep.length),
    strength: new Float32Array(keep.length),
  };
  keep.forEach((k, n) => {
    out.time[n] = candT[k]!;
    out.cents[n] = candC[k]!;
    out.strength[n] = candS[k]!;
  });
  return out;
}
