// Matching: look up every key a query hash could have had, then, per reference track, keep
// the hits that agree on one edit — a pitch offset, a time factor and a time offset — the way
// a Hough transform finds a line (Wang, "An industrial-strength audio search algorithm",
// ISMIR 2003, §2.3, extended to the time factor and pitch offset of Six & Leman 2014).
// The score is the number of agreeing hits; the edit is reported as speed, pitch and tempo.

import type { FingerprintConfig } from './config.ts';
import { queryKeys, type Hashes, type QueryTolerance } from './hashes.ts';
import type { FingerprintIndex } from './index-store.ts';
import { SPAN_SCALE, T_SCALE } from './postings.ts';

export interface RawMatch {
  ref: number;
  score: number;
  /** Hash count of the query, for a relative score. */
  queryHashes: number;
  queryStart: number;
  queryEnd: number;
  refStart: number;
  refEnd: number;
  /** Reference time per query time (>1: the query runs faster than the reference). */
  timeFactor: number;
  /** Query pitch minus reference pitch, cents. */
  pitchCents: number;
}

export interface MatchOptions {
  tolerance: QueryTolerance;
  minScore: number;
  maxResults: number;
}

interface Hit {
  qt: number;
  rt: number;
  logA: number;
  dc: number;
}

const LOG_BIN = Math.log(1.01);
const CENT_BIN = 20;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
}

/** Least-squares line rt = a·qt + b; null when the query times do not spread. */
function slope(hits: Hit[]): { a: number; b: number } | null {
  const n = hits.length;
  let sx = 0;
  let sy = 0;
  for (const h of hits) {
    sx += h.qt;
    sy += h.rt;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (const h of hits) {
    sxx += (h.qt - mx) ** 2;
    sxy += (h.qt - mx) * (h.rt - my);
  }
  if (sxx < 100) return null;
  const a = sxy / sxx;
  return { a, b: my - a * mx };
}

/** Finds the densest (time factor, pitch) cell with its neighbours, then the densest time offset within it. */
function verify(hits: Hit[], hopSeconds: number): Omit<RawMatch, 'ref' | 'queryHashes'> | null {
  const cells = new Map<number, number>();
  const cellOf = (h: Hit) => [Math.round(h.logA / LOG_BIN), Math.round(h.dc / CENT_BIN)] as const;
  for (const h of hits) {
    const [x, y] = cellOf(h);
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) {
      const k = (x + dx) * 1000 + (y + dy);
      cells.set(k, (cells.get(k) ?? 0) + 1);
    }
  }
  let best = -1;
  let bestN = 0;
  for (const [k, n] of cells) if (n > bestN) [best, bestN] = [k, n];
  if (bestN < 3) return null;
  const bx = Math.round(best / 1000);
  const by = best - bx * 1000;
  const near = hits.filter((h) => {
    const [x, y] = cellOf(h);
    return Math.abs(x - bx) <= 1 && Math.abs(y - by) <= 1;
  });
  const logA = median(near.map((h) => h.logA));
  let a = Math.exp(logA);
  // Time offset b = rt - a·qt; true hits share it within a frame or two.
  const offsets = new Map<number, number>();
  for (const h of near) {
    const b = Math.round((h.rt - a * h.qt) / 2);
    for (let d = -1; d <= 1; d++) offsets.set(b + d, (offsets.get(b + d) ?? 0) + 1);
  }
  let bb = 0;
  let bbN = 0;
  for (const [b, n] of offsets) if (n > bbN) [bb, bbN] = [b, n];
  let inliers = near.filter((h) => Math.abs(h.rt - a * h.qt - 2 * bb) <= 3);
  if (inliers.length < 3) return null;
  // The time factor from the hashes' own spans is noisy; the slope of reference time against
  // query time over all agreeing hits, seconds apart, is far more precise.
  const fit = slope(inliers);
  if (fit && Math.abs(Math.log(fit.a) - logA) < 0.03) {
    a = fit.a;
    inliers = near.filter((h) => Math.abs(h.rt - a * h.qt - fit.b) <= 3);
  }
  // Count distinct query positions, so one query hash matching a repeated loop counts once.
  const distinct = new Set(inliers.map((h) => Math.round(h.qt))).size;
  let qs = Infinity;
  let qe = -Infinity;
  let rs = Infinity;
  let re = -Infinity;
  for (const h of inliers) {
    qs = Math.min(qs, h.qt);
    qe = Math.max(qe, h.qt);
    rs = Math.min(rs, h.rt);
    re = Math.max(re, h.rt);
  }
  return {
    score: distinct,
    queryStart: qs * hopSeconds,
    queryEnd: qe * hopSeconds,
    refStart: rs * hopSeconds,
    refEnd: re * hopSeconds,
    timeFactor: a,
    pitchCents: -median(inliers.map((h) => h.dc)),
  };
}

export async function matchHashes(index: FingerprintIndex, q: Hashes, cfg: FingerprintConfig, opts: MatchOptions): Promise<RawMatch[]> {
  const keys: number[] = [];
  const owner: number[] = [];
  queryKeys(q, cfg, opts.tolerance, (i, key) => {
    keys.push(key);
    owner.push(i);
  });
  const found = await index.lookup(Uint32Array.from(keys));
  const { offsets, postings } = found;
  const maxLogA = Math.log(opts.tolerance.maxTimeFactor) + 0.02;
  const maxDc = opts.tolerance.maxPitchCents + 40;
  const perTrack = new Map<number, Hit[]>();
  for (let k = 0; k < keys.length; k++) {
    const i = owner[k]!;
    const qt = q.t1[i]!;
    const qc = q.c1[i]!;
    const qspan = q.span[i]!;
    for (let p = offsets[k]!; p < offsets[k + 1]!; p++) {
      const logA = Math.log(postings.span[p]! / SPAN_SCALE / qspan);
      if (logA > maxLogA || logA < -maxLogA) continue;
      const dc = postings.c1[p]! - qc;
      if (dc > maxDc || dc < -maxDc) continue;
      const track = postings.track[p]!;
      let list = perTrack.get(track);
      if (!list) perTrack.set(track, (list = []));
      list.push({ qt, rt: postings.t1[p]! / T_SCALE, logA, dc });
    }
  }
  const out: RawMatch[] = [];
  for (const [ref, hits] of perTrack) {
    if (hits.length < opts.minScore) continue;
    const v = verify(hits, cfg.hopSeconds);
    if (v && v.score >= opts.minScore) out.push({ ref, queryHashes: q.count, ...v });
  }
  out.sort((a, b) => b.score - a.score);
  return out.slice(0, opts.maxResults);
}

/** Splits the measured edit into speed (resampling), pitch shift and tempo change; see describeEdit. */
export function describeEdit(timeFactor: number, pitchCents: number): { speed: number; pitchCents: number; tempo: number } {
  const speedCents = 1200 * Math.log2(timeFactor);
  const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
  // Resampling moves time and pitch together: when they agree, that is the simplest account.
  if (Math.abs(speedCents - pitchCents) <= 25 && Math.abs(pitchCents) > 15) return { speed: round(timeFactor, 3), pitchCents: 0, tempo: 1 };
  if (Math.abs(timeFactor - 1) < 0.012) return { speed: 1, pitchCents: Math.round(pitchCents), tempo: 1 };
  if (Math.abs(pitchCents) <= 15) return { speed: 1, pitchCents: 0, tempo: round(timeFactor, 3) };
  // Both changed by different amounts: resampling explains the pitch, a time stretch the rest.
  const speed = 2 ** (pitchCents / 1200);
  return { speed: round(speed, 3), pitchCents: 0, tempo: round(timeFactor / speed, 3) };
}
