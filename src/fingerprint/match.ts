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
function verify(hits: Hit[], hopSeconds: number): Omit<RawMatch, 'ref'> | null {
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

/**
 * Vote counter over (track, coarse time offset) cells: open addressing on int32 keys in typed
 * arrays kept between queries, cleared through the list of touched slots.
 */
class CellVotes {
  private keys = new Int32Array(0);
  private counts = new Uint16Array(0);
  private good = new Uint8Array(0);
  private touched = new Uint32Array(0);
  private used = 0;
  private mask = 0;
  private shift = 0;

  reset(expected: number) {
    let bits = 10;
    while (1 << bits < expected * 2) bits++;
    const size = 1 << bits;
    if (size > this.keys.length) {
      this.keys = new Int32Array(size).fill(-1);
      this.counts = new Uint16Array(size);
      this.good = new Uint8Array(size);
      this.touched = new Uint32Array(size);
    } else {
      for (let i = 0; i < this.used; i++) {
        const slot = this.touched[i]!;
        this.keys[slot] = -1;
        this.counts[slot] = 0;
        this.good[slot] = 0;
      }
    }
    const usable = Math.min(size, this.keys.length);
    this.mask = usable - 1;
    this.shift = 32 - Math.log2(usable);
    this.used = 0;
  }

  private slot(key: number): number {
    // Fibonacci hashing (Knuth, TAOCP vol. 3, §6.4) with linear probing.
    let i = Math.imul(key, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const k = this.keys[i]!;
      if (k === key || k === -1) return i;
      i = (i + 1) & this.mask;
    }
  }

  add(key: number) {
    const i = this.slot(key);
    if (this.keys[i] === -1) {
      if (this.used >= (this.mask + 1) * 0.7) return; // full enough: stop voting rather than degrade
      this.keys[i] = key;
      this.touched[this.used++] = i;
    }
    if (this.counts[i]! < 65535) this.counts[i]!++;
  }

  private count(key: number): number {
    const i = this.slot(key);
    return this.keys[i] === key ? this.counts[i]! : 0;
  }

  /** Marks cells that, with their better neighbour, hold at least `min` votes. */
  markGood(min: number) {
    for (let t = 0; t < this.used; t++) {
      const slot = this.touched[t]!;
      const key = this.keys[slot]!;
      const c = this.counts[slot]!;
      if (c + Math.max(this.count(key - 1), this.count(key + 1)) >= min) this.good[slot] = 1;
    }
  }

  isGood(key: number): boolean {
    const i = this.slot(key);
    return this.keys[i] === key && this.good[i] === 1;
  }
}

const votes = new CellVotes();
/** Coarse offset cell, frames: a 10-s query drifts at most ±31 frames at ±10% tempo. */
const OFFSET_CELL = 64;
/** Cells per track: offsets from -64 s to +30 min fit in 2048 cells of 2 s. */
const CELLS_PER_TRACK = 2048;
const CELL_BIAS = 32;
/** Postings one query may scan; bounds query time however large the index grows. */
const SCAN_BUDGET = 500_000;

export async function matchHashes(index: FingerprintIndex, q: Hashes, cfg: FingerprintConfig, opts: MatchOptions): Promise<RawMatch[]> {
  const keys: number[] = [];
  const owner: number[] = [];
  queryKeys(q, cfg, opts.tolerance, (i, key) => {
    keys.push(key);
    owner.push(i);
  });
  const found = await index.lookup(Uint32Array.from(keys));
  const { parts } = found;
  // Very common keys (steady tones, repeated loops) cost the most and say the least: the
  // longest lists are skipped, the way a text index skips stop words. Then query hashes are
  // taken cheapest first until the scan budget is spent, so a huge index costs a bounded scan
  // and keeps the most distinctive evidence.
  const lengths = parts.map((p) => p.to - p.from).sort((a, b) => a - b);
  const cap = Math.max(64, 3 * (lengths[lengths.length >> 1] ?? 0));
  const cost = new Float64Array(q.count);
  for (const p of parts) if (p.to - p.from <= cap) cost[owner[p.key]!]! += p.to - p.from;
  const order = Array.from({ length: q.count }, (_, i) => i).sort((a, b) => cost[a]! - cost[b]!);
  const use = new Uint8Array(q.count);
  let scanned = 0;
  for (const i of order) {
    if (scanned + cost[i]! > SCAN_BUDGET && scanned > 0) break;
    use[i] = 1;
    scanned += cost[i]!;
  }
  const skip = (p: { key: number; from: number; to: number }) => p.to - p.from > cap || !use[owner[p.key]!];
  // Only what will be scanned is read from disk.
  if (found.load) await found.load(parts.filter((p) => !skip(p)));

  const maxRatio = opts.tolerance.maxTimeFactor * 1.02;
  const minRatio = 1 / maxRatio;
  const maxDc = opts.tolerance.maxPitchCents + 40;
  // Cell key: (track mod 2^20) × 2048 + offset cell, an int32. Tracks 2^20 refs apart share
  // cells in this pre-filter only; verification below keeps them apart.
  const cellOf = (track: number, rt: number, qt: number) =>
    (track & 0xfffff) * CELLS_PER_TRACK + Math.max(0, Math.min(CELLS_PER_TRACK - 1, Math.floor((rt - qt) / OFFSET_CELL) + CELL_BIAS));

  /** Calls `visit` for every scanned posting whose pitch offset and span ratio fit the tolerance. */
  const scan = (visit: (track: number, rt: number, qt: number, sp: number, qspan: number, dc: number) => void) => {
    for (const part of parts) {
      if (skip(part)) continue;
      const { key, from, to } = part;
      const { c1, span, track, t1 } = part.list!;
      const i = owner[key]!;
      const qt = q.t1[i]!;
      const qc = q.c1[i]!;
      const qspan = q.span[i]! * SPAN_SCALE;
      // Ratios are compared without logarithms.
      const lo = qspan * minRatio;
      const hi = qspan * maxRatio;
      for (let p = from; p < to; p++) {
        const dc = c1[p]! - qc;
        if (dc > maxDc || dc < -maxDc) continue;
        const sp = span[p]!;
        if (sp < lo || sp > hi) continue;
        visit(track[p]!, t1[p]! / T_SCALE, qt, sp, qspan, dc);
      }
    }
  };

  // Pass 1: vote per (track, offset) cell. Pass 2: gather the hits of cells that, with a
  // neighbour, hold enough votes; only those tracks are verified.
  votes.reset(scanned);
  scan((track, rt, qt) => votes.add(cellOf(track, rt, qt)));
  votes.markGood(opts.minScore);
  const candidates = new Map<number, Hit[]>();
  scan((track, rt, qt, sp, qspan, dc) => {
    if (!votes.isGood(cellOf(track, rt, qt))) return;
    let hits = candidates.get(track);
    if (!hits) candidates.set(track, (hits = []));
    hits.push({ qt, rt, logA: Math.log(sp / qspan), dc });
  });
  const out: RawMatch[] = [];
  for (const [ref, hits] of candidates) {
    const v = verify(hits, cfg.hopSeconds);
    if (v && v.score >= opts.minScore) out.push({ ref, ...v });
  }
  out.sort((a, b) => b.score - a.score || a.ref - b.ref);
  return out.slice(0, opts.maxResults);
}

/** Splits the measured edit into speed (resampling: time and pitch together), pitch shift and tempo change. */
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
