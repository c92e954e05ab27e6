// Matching: look up every key a query hash could have had, then, per reference track, keep
// the hits that agree on one edit — a pitch offset, a time factor and a time offset — the way
// a Hough transform finds a line (Wang, "An industrial-strength audio search algorithm",
// ISMIR 2003, §2.3, extended to the time factor and pitch offset of Six & Leman 2014).
// The score is the number of distinct query positions on one alignment; what decides is how
// unlikely that agreement is by chance in this search (chance.ts).

import { chanceOf, CENT_BIN, LOG_BIN, plausibleEdit, SLOPE_RANGE, WINDOW_FRAMES, windowChance, type OtherTrack, type PairBackground } from './chance.ts';
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
  /** Expected number of chance alignments this strong in the whole search (chance.ts). */
  expected: number;
  /** Whether the edit is one a single tool makes (speed, pitch shift or tempo change alone). */
  plausible: boolean;
  /** Share of the matched query span's tenths that hold agreeing hits. */
  spread: number;
}

export interface MatchOptions {
  tolerance: QueryTolerance;
  /** Fewest distinct query positions an alignment needs to be verified at all. */
  minScore: number;
  /** Largest expected number of chance matches a reported match may have. */
  maxExpected: number;
  maxResults: number;
}

interface Hit {
  qt: number;
  rt: number;
  logA: number;
  dc: number;
  /** Its (time factor, pitch) grid cell, or -1. */
  cell: number;
}

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

/** The (time factor, pitch) grid, ±GRID_HALF cells each way: ×1.49 and ±800 cents, past any tolerance. */
const GRID_HALF = 40;
const GRID = 2 * GRID_HALF + 1;
/** Query frames a background key holds: 2^16 frames is 35 minutes, past any decodable audio. */
const POSITIONS = 65536;
const cellKey = (x: number, y: number) => (x + GRID_HALF) * GRID + (y + GRID_HALF);
/** A hit's grid cell, or -1 outside the grid (beyond any tolerance). */
function cellOf(logA: number, dc: number): number {
  const x = Math.round(logA / LOG_BIN);
  const y = Math.round(dc / CENT_BIN);
  return Math.abs(x) < GRID_HALF && Math.abs(y) < GRID_HALF ? cellKey(x, y) : -1;
}
const centre = (key: number) => [Math.floor(key / GRID) - GRID_HALF, (key % GRID) - GRID_HALF] as const;
/** Whether each grid cell's edit is one a single tool makes. */
const PLAUSIBLE = Uint8Array.from({ length: GRID * GRID }, (_, k) => {
  const [x, y] = centre(k);
  return plausibleEdit(Math.exp(x * LOG_BIN), -y * CENT_BIN) ? 1 : 0;
});

/** Values per (time factor, pitch) cell summed with their eight neighbours, indexed by the centre's cellKey. */
function neighbourhoods(raw: Float64Array): Float64Array {
  const sums = new Float64Array(GRID * GRID);
  for (let x = 1; x < GRID - 1; x++) {
    for (let y = 1; y < GRID - 1; y++) {
      let n = 0;
      for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) n += raw[(x + dx) * GRID + y + dy]!;
      sums[x * GRID + y] = n;
    }
  }
  return sums;
}

/** Every hit of one candidate track, as counts per (grid cell, query position), and the voted ones whole. */
interface Candidate {
  hits: Hit[];
  /** Hits per cell · 2^16 + query frame. */
  background: Map<number, number>;
  /** Latest reference time among all its hits, frames: a floor on the track's length. */
  refFrames: number;
}

/** The alignment inside one (time factor, pitch) neighbourhood: densest time offset, then the slope refit. */
function align(hits: Hit[], key: number) {
  // Cells one step apart in x or y differ by GRID or 1 in their key.
  const near = hits.filter((h) => {
    if (h.cell < 0) return false;
    const d = h.cell - key;
    const dx = Math.round(d / GRID);
    return Math.abs(dx) <= 1 && Math.abs(d - dx * GRID) <= 1;
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
  const half = (WINDOW_FRAMES - 1) / 2;
  let inliers = near.filter((h) => Math.abs(h.rt - a * h.qt - 2 * bb) <= half);
  if (inliers.length < 3) return null;
  // The time factor from the hashes' own spans is noisy; the slope of reference time against
  // query time over all agreeing hits, seconds apart, is far more precise.
  const fit = slope(inliers);
  if (fit && Math.abs(Math.log(fit.a) - logA) < SLOPE_RANGE) {
    a = fit.a;
    inliers = near.filter((h) => Math.abs(h.rt - a * h.qt - fit.b) <= half);
  }
  return { a, inliers };
}

/** Share of the span's tenths holding at least one of the positions. */
function spreadOf(positions: number[], from: number, to: number): number {
  if (to <= from) return 0.1;
  const tenths = new Set(positions.map((t) => Math.max(0, Math.min(9, Math.floor(((t - from) / (to - from)) * 10)))));
  return tenths.size / 10;
}

/**
 * The least likely chance alignment of one reference track: the (time factor, pitch)
 * neighbourhoods densest in voted hits are each aligned, and the one with the smallest expected
 * number of chance matches wins. All the pair's hits, voted or not, measure its background.
 */
function verify(c: Candidate, queryFrames: number, others: { reached: readonly OtherTrack[]; except?: OtherTrack }, hopSeconds: number): Omit<RawMatch, 'ref'> | null {
  const { hits } = c;
  // Per cell, its distinct query positions and how many of them one offset window expects.
  const chance = windowChance(queryFrames, c.refFrames);
  const cellPositions = new Float64Array(GRID * GRID);
  const cellMu = new Float64Array(GRID * GRID);
  for (const [key, m] of c.background) {
    const cell = Math.floor(key / POSITIONS);
    cellPositions[cell]!++;
    // A position whose m hits land independently misses a given window with probability (1 - p)^m.
    cellMu[cell]! += -Math.expm1(m * Math.log1p(-chance));
  }
  const positionSums = neighbourhoods(cellPositions);
  const muSums = neighbourhoods(cellMu);
  const bg: PairBackground = { cells: [], queryFrames, refFrames: c.refFrames };
  for (let i = 0; i < positionSums.length; i++) if (positionSums[i]! > 0) bg.cells.push({ positions: positionSums[i]!, mu: muSums[i]!, plausible: PLAUSIBLE[i] === 1 });
  const votedRaw = new Float64Array(GRID * GRID);
  for (const h of hits) if (h.cell >= 0) votedRaw[h.cell]!++;
  const voted = neighbourhoods(votedRaw);
  const tried: number[] = [];
  for (let i = 0; i < voted.length; i++) if (voted[i]! >= 3) tried.push(i);
  tried.sort((x, y) => voted[y]! - voted[x]! || x - y);
  tried.length = Math.min(tried.length, TRIED_CELLS);
  let best: Omit<RawMatch, 'ref'> | null = null;
  for (const key of tried) {
    const found = align(hits, key);
    if (!found) continue;
    const { a, inliers } = found;
    // Count distinct query positions, so one query hash matching a repeated loop counts once.
    const positions = [...new Set(inliers.map((h) => Math.round(h.qt)))];
    const score = positions.length;
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
    const pitchCents = -median(inliers.map((h) => h.dc));
    const plausible = plausibleEdit(a, pitchCents);
    const expected = chanceOf(bg, score, qe - qs, plausible, others.reached, others.except);
    const m = {
      score,
      queryStart: qs * hopSeconds,
      queryEnd: qe * hopSeconds,
      refStart: rs * hopSeconds,
      refEnd: re * hopSeconds,
      timeFactor: a,
      pitchCents,
      expected,
      plausible,
      spread: spreadOf(positions, qs, qe),
    };
    if (!best || m.expected < best.expected || (m.expected === best.expected && m.score > best.score)) best = m;
  }
  return best;
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
  private totalKeys = new Int32Array(0);
  private totalHits = new Uint32Array(0);
  private totalMax = new Int32Array(0);
  private totalOrder = new Uint32Array(0);

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

  /** Tracks (as keyed: ref mod 2^20) with a marked cell. */
  goodTracks(cellsPerTrack: number): Set<number> {
    const out = new Set<number>();
    for (let t = 0; t < this.used; t++) {
      const slot = this.touched[t]!;
      if (this.good[slot]) out.add(Math.floor(this.keys[slot]! / cellsPerTrack));
    }
    return out;
  }

  /**
   * Per track (as keyed: ref mod 2^20): its votes and a floor on its length from its furthest
   * offset cell (a hit at offset b lies at reference time b or later), in the order the tracks
   * were first voted for. Summed in typed arrays: at 1000 hours a query touches hundreds of
   * thousands of cells over some twenty thousand tracks.
   */
  trackTotals(cellsPerTrack: number): Array<OtherTrack & { track: number }> {
    let bits = 10;
    while (1 << bits < this.used * 2) bits++;
    const size = 1 << bits;
    if (this.totalKeys.length < size) {
      this.totalKeys = new Int32Array(size);
      this.totalHits = new Uint32Array(size);
      this.totalMax = new Int32Array(size);
      this.totalOrder = new Uint32Array(size);
    }
    const keys = this.totalKeys.subarray(0, size).fill(-1);
    const mask = size - 1;
    const shift = 32 - bits;
    let n = 0;
    for (let t = 0; t < this.used; t++) {
      const slot = this.touched[t]!;
      const key = this.keys[slot]!;
      const track = Math.floor(key / cellsPerTrack);
      const cell = key - track * cellsPerTrack;
      let i = Math.imul(track, 0x9e3779b1) >>> shift;
      while (keys[i] !== -1 && keys[i] !== track) i = (i + 1) & mask;
      if (keys[i] === -1) {
        keys[i] = track;
        this.totalHits[i] = 0;
        this.totalMax[i] = cell;
        this.totalOrder[n++] = i;
      }
      this.totalHits[i]! += this.counts[slot]!;
      if (cell > this.totalMax[i]!) this.totalMax[i] = cell;
    }
    const out: Array<OtherTrack & { track: number }> = [];
    for (let k = 0; k < n; k++) {
      const i = this.totalOrder[k]!;
      out.push({ track: keys[i]!, hits: this.totalHits[i]!, minFrames: Math.max(0, this.totalMax[i]! - CELL_BIAS) * OFFSET_CELL });
    }
    return out;
  }

  isGood(key: number): boolean {
    const i = this.slot(key);
    return this.keys[i] === key && this.good[i] === 1;
  }
}

const votes = new CellVotes();
/** (Time factor, pitch) neighbourhoods aligned per candidate track. */
const TRIED_CELLS = 3;
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
  const voteCell = (track: number, rt: number, qt: number) =>
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

  // Pass 1: vote per (track, offset) cell; only tracks with a cell that, with a neighbour,
  // holds enough votes are verified.
  votes.reset(scanned);
  scan((track, rt, qt) => votes.add(voteCell(track, rt, qt)));
  votes.markGood(opts.minScore);
  // Pass 2: every hit of the tracks with such a cell; the unvoted ones are the pair's chance background.
  const tracks = votes.goodTracks(CELLS_PER_TRACK);
  const candidates = new Map<number, Candidate>();
  scan((track, rt, qt, sp, qspan, dc) => {
    if (!tracks.has(track & 0xfffff)) return;
    let c = candidates.get(track);
    if (!c) candidates.set(track, (c = { hits: [], background: new Map(), refFrames: 0 }));
    const logA = Math.log(sp / qspan);
    const cell = cellOf(logA, dc);
    if (cell >= 0) {
      const key = cell * POSITIONS + Math.round(qt);
      c.background.set(key, (c.background.get(key) ?? 0) + 1);
    }
    c.refFrames = Math.max(c.refFrames, rt + 1);
    if (votes.isGood(voteCell(track, rt, qt))) c.hits.push({ qt, rt, logA, dc, cell });
  });
  let queryFrames = 0;
  for (let i = 0; i < q.count; i++) queryFrames = Math.max(queryFrames, q.t1[i]! + q.span[i]! + 1);
  // Every track the search reached, for the chance estimate (the candidate's own entry is left out there).
  const reached = votes.trackTotals(CELLS_PER_TRACK);
  const own = new Map<number, OtherTrack | undefined>();
  for (const ref of candidates.keys()) own.set(ref & 0xfffff, undefined);
  for (const o of reached) if (own.has(o.track)) own.set(o.track, o);
  const out: RawMatch[] = [];
  for (const [ref, c] of candidates) {
    const v = verify(c, queryFrames, { reached, except: own.get(ref & 0xfffff) }, cfg.hopSeconds);
    if (v && v.score >= opts.minScore && v.expected <= opts.maxExpected) out.push({ ref, ...v });
  }
  out.sort((a, b) => a.expected - b.expected || b.score - a.score || a.ref - b.ref);
  return out.slice(0, opts.maxResults);
}
