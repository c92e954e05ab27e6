// Triplet hashes after Six & Leman, "Panako: a scalable acoustic fingerprinting system
// handling time-scale and pitch modification" (ISMIR 2014): three peaks (t1,c1) < (t2,c2) <
// (t3,c3) give values that survive the edits uploaders use to dodge matching —
//   c2 - c1, c3 - c1 (cents): unchanged by pitch shift and by speed change;
//   (t2 - t1) / (t3 - t1): unchanged by tempo change and by speed change.
// Two coarser values add entropy and are searched over the range an edit can move them:
//   the band of c1 (pitch moves it by at most ±200 cents) and log2(t3 - t1) (tempo moves it by
//   at most ±10%). Each posting keeps t1, c1 and t3 - t1 so a match can estimate the edit.

import type { FingerprintConfig } from './config.ts';
import type { Peaks } from './peaks.ts';

export interface Hashes {
  count: number;
  /** Component values before quantisation, 5 per hash: d21, d31, ratio, band, span. */
  values: Float32Array;
  /** Quantised key (the bin each value falls in). */
  keys: Uint32Array;
  t1: Float32Array;
  c1: Float32Array;
  span: Float32Array;
}

export interface KeySpace {
  deltaLevels: number;
  ratioLevels: number;
  bandLevels: number;
  spanLevels: number;
  spanOffset: number;
}

export function keySpace(cfg: FingerprintConfig): KeySpace {
  const maxCents = 1200 * Math.log2(cfg.maxHz / 55) + 300;
  return {
    deltaLevels: 2 * Math.ceil(cfg.maxDeltaCents / cfg.deltaQuantumCents) + 1,
    ratioLevels: cfg.ratioBins,
    bandLevels: Math.ceil(maxCents / cfg.bandCents) + 1,
    spanOffset: Math.floor(Math.log2(cfg.minSpanFrames / 1.25) / cfg.spanBinOctaves),
    spanLevels: Math.ceil(Math.log2(cfg.maxSpanFrames * 1.25) / cfg.spanBinOctaves) - Math.floor(Math.log2(cfg.minSpanFrames / 1.25) / cfg.spanBinOctaves) + 1,
  };
}

export function composeKey(ks: KeySpace, d21: number, d31: number, ratio: number, band: number, span: number): number {
  return (((d21 * ks.deltaLevels + d31) * ks.ratioLevels + ratio) * ks.bandLevels + band) * ks.spanLevels + (span - ks.spanOffset);
}

/** Continuous component values, in bin units, of one triplet. */
function components(cfg: FingerprintConfig, t1: number, c1: number, t2: number, c2: number, t3: number, c3: number, out: Float32Array, at: number) {
  const half = Math.ceil(cfg.maxDeltaCents / cfg.deltaQuantumCents);
  out[at] = (c2 - c1) / cfg.deltaQuantumCents + half + 0.5;
  out[at + 1] = (c3 - c1) / cfg.deltaQuantumCents + half + 0.5;
  out[at + 2] = ((t2 - t1) / (t3 - t1)) * cfg.ratioBins;
  out[at + 3] = c1 / cfg.bandCents;
  out[at + 4] = Math.log2(t3 - t1) / cfg.spanBinOctaves;
}

export function makeHashes(p: Peaks, cfg: FingerprintConfig): Hashes {
  const ks = keySpace(cfg);
  const cap = p.count * cfg.fanOut2 * cfg.fanOut3;
  const values = new Float32Array(cap * 5);
  const keys = new Uint32Array(cap);
  const t1s = new Float32Array(cap);
  const c1s = new Float32Array(cap);
  const spans = new Float32Array(cap);
  let n = 0;
  const { time, cents } = p;
  for (let i = 0; i < p.count; i++) {
    const t1 = time[i]!;
    const c1 = cents[i]!;
    let found2 = 0;
    for (let j = i + 1; j < p.count && found2 < cfg.fanOut2; j++) {
      const t2 = time[j]!;
      if (t2 - t1 < 1) continue;
      if (t2 - t1 > cfg.maxSpanFrames - 1) break;
      const c2 = cents[j]!;
      if (Math.abs(c2 - c1) > cfg.maxDeltaCents) continue;
      found2++;
      let found3 = 0;
      for (let k = j + 1; k < p.count && found3 < cfg.fanOut3; k++) {
        const t3 = time[k]!;
        if (t3 - t1 > cfg.maxSpanFrames) break;
        if (t3 - t1 < cfg.minSpanFrames || t3 - t2 < 1) continue;
        const c3 = cents[k]!;
        if (Math.abs(c3 - c1) > cfg.maxDeltaCents) continue;
        found3++;
        components(cfg, t1, c1, t2, c2, t3, c3, values, n * 5);
        const v = n * 5;
        keys[n] = composeKey(
          ks,
          Math.floor(values[v]!),
          Math.floor(values[v + 1]!),
          Math.min(ks.ratioLevels - 1, Math.floor(values[v + 2]!)),
          Math.floor(values[v + 3]!),
          Math.floor(values[v + 4]!),
        );
        t1s[n] = t1;
        c1s[n] = c1;
        spans[n] = t3 - t1;
        n++;
      }
    }
  }
  return { count: n, values: values.subarray(0, n * 5), keys: keys.subarray(0, n), t1: t1s.subarray(0, n), c1: c1s.subarray(0, n), span: spans.subarray(0, n) };
}

/** Bins to search for one value: its own, plus the neighbour when within `margin` of an edge. */
function near(v: number, margin: number, lo: number, hi: number, out: number[]) {
  out.length = 0;
  const b = Math.floor(v);
  if (b >= lo && b <= hi) out.push(b);
  const frac = v - b;
  if (frac < margin && b - 1 >= lo) out.push(b - 1);
  if (frac > 1 - margin && b + 1 <= hi) out.push(b + 1);
}

function range(from: number, to: number, lo: number, hi: number, out: number[]) {
  out.length = 0;
  for (let b = Math.max(lo, Math.floor(from)); b <= Math.min(hi, Math.floor(to)); b++) out.push(b);
}

export interface QueryTolerance {
  maxPitchCents: number;
  maxTimeFactor: number;
}

export const DEFAULT_TOLERANCE: QueryTolerance = { maxPitchCents: 200, maxTimeFactor: 1.1 };

/**
 * Every key a query hash could have had in the reference, given edits within `tol`; `emit`
 * receives (hashIndex, key). Near-edge values also search the neighbouring bin.
 */
export function queryKeys(h: Hashes, cfg: FingerprintConfig, tol: QueryTolerance, emit: (i: number, key: number) => void): void {
  const ks = keySpace(cfg);
  const a: number[] = [];
  const b: number[] = [];
  const r: number[] = [];
  const band: number[] = [];
  const span: number[] = [];
  const pitchBins = (tol.maxPitchCents + 30) / cfg.bandCents;
  const spanBins = (Math.log2(tol.maxTimeFactor) + 0.03) / cfg.spanBinOctaves;
  for (let i = 0; i < h.count; i++) {
    const v = i * 5;
    near(h.values[v]!, 0.25, 0, ks.deltaLevels - 1, a);
    near(h.values[v + 1]!, 0.25, 0, ks.deltaLevels - 1, b);
    near(h.values[v + 2]!, 0.3, 0, ks.ratioLevels - 1, r);
    range(h.values[v + 3]! - pitchBins, h.values[v + 3]! + pitchBins, 0, ks.bandLevels - 1, band);
    range(h.values[v + 4]! - spanBins, h.values[v + 4]! + spanBins, ks.spanOffset, ks.spanOffset + ks.spanLevels - 1, span);
    for (const x of a) for (const y of b) for (const z of r) for (const w of band) for (const s of span) emit(i, composeKey(ks, x, y, z, w, s));
  }
}

/** The hashes whose first peak lies in [fromFrame, toFrame), their times moved to start at 0: a window of the audio as a query of its own. */
export function sliceHashes(h: Hashes, fromFrame: number, toFrame: number): Hashes {
  const first = (frame: number) => {
    let lo = 0;
    let hi = h.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (h.t1[mid]! < frame) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const a = first(fromFrame);
  const b = first(toFrame);
  const t1 = h.t1.slice(a, b);
  for (let i = 0; i < t1.length; i++) t1[i] = t1[i]! - fromFrame;
  return { count: b - a, values: h.values.subarray(a * 5, b * 5), keys: h.keys.subarray(a, b), t1, c1: h.c1.subarray(a, b), span: h.span.subarray(a, b) };
}
