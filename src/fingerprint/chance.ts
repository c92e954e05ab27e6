// How often an alignment as strong as a match would turn up between unrelated recordings: the
// expected number of chance matches at least as strong in this query's whole search (an
// e-value, as BLAST reports for sequence alignments: Karlin & Altschul, PNAS 87, 1990).
//
// The matcher searches, per reference track, every (time factor, pitch) cell of the tolerance,
// every time offset and every slope within the cell, and keeps the alignment with most distinct
// query positions. Under the null the reference is unrelated: each hit that falls in a (time
// factor, pitch) neighbourhood lands on a given offset window (WINDOW_FRAMES wide) with
// probability p = WINDOW_FRAMES / max(Q, R), Q and R the query's and the reference's lengths in
// frames (the density of b = rt - a·qt for uniform qt and rt is at most 1 / max(Q, R)). A query
// position with m hits in the neighbourhood (a loop in the reference repeats it m times) counts
// once at most, with probability π = 1 - (1 - p)^m (its hits land independently under the
// null; at most m·p). The count s of distinct positions on one
// alignment is a sum of such Bernoullis over the neighbourhood's k positions, whose tail is at
// most that of Binomial(k, μ/k), μ = Σ π (Hoeffding 1956, for s ≥ μ + 1), and
//
//   E = classes · Σ over neighbourhoods of the class with k ≥ s: windows · slopes · P(Bin(k, μ/k) ≥ s)
//
// with windows = (Q + R) / WINDOW_FRAMES offsets and slopes the distinguishable line slopes in a
// cell over the matched span. n is measured per neighbourhood from this pair's own hits, so the
// background adapts to the music: a chiptune's exact semitones and tempo grid pile hits into a
// few cells, and those cells are judged against their own density.
//
// Every other track the query's hashes reached could have produced the chance alignment too:
// the sum runs over them (the index's size enters here, as the database length does in BLAST).
// For those only their hit count n_t and a lower bound on their length are known (from the vote
// table), so each is bounded as if all its hits shared one cell, the worst case (C(n, s) is
// superadditive in n), at the least favourable length. A track with fewer hits than the
// agreement cannot produce it and adds nothing.
//
// Physically plausible edits are searched as a class of their own (speed moves pitch and time
// together; a pitch shift keeps time; a tempo change keeps pitch), and combinations as the whole
// plane; each class gets half the error budget (CLASSES = 2). An alignment that needs an edit
// no single tool makes is therefore judged against the far larger volume it was found in.

import { logBinomialPmf } from '../shared/index.ts';
import { describeEdit } from './edit.ts';

/** Offset window of one alignment: inliers lie within ±3 frames of the line. */
export const WINDOW_FRAMES = 7;
/** Time-factor and pitch bins of the matcher's (time factor, pitch) grid. */
export const LOG_BIN = Math.log(1.01);
export const CENT_BIN = 20;
/** Slope refits are kept within this distance (natural log) of the cell's time factor. */
export const SLOPE_RANGE = 0.03;
const CLASSES = 2;

/** Upper bound on P(X ≥ s) for X ~ Binomial(n, p): the first term times a geometric tail. */
export function binomialTail(n: number, p: number, s: number): number {
  if (s <= 0) return 1;
  if (s > n) return 0;
  if (p >= 1) return 1;
  if (s <= n * p) return 1;
  const log = logBinomialPmf(n, p, s);
  // Successive terms fall by at least r = (n-s)/(s+1) · p/(1-p) < 1 beyond s.
  const r = ((n - s) / (s + 1)) * (p / (1 - p));
  return Math.min(1, Math.exp(log) / (1 - Math.min(r, 0.999999)));
}

/** Whether an edit (reference time per query time, query pitch minus reference pitch) is one a single tool makes. */
export function plausibleEdit(timeFactor: number, pitchCents: number): boolean {
  return describeEdit(timeFactor, pitchCents).kind !== 'speed+tempo';
}

export interface PairBackground {
  /**
   * Per (time factor, pitch) neighbourhood: its distinct query positions, the expected number of
   * them on one offset window (μ), and whether its centre's edit is one a single tool makes.
   */
  cells: Array<{ positions: number; mu: number; plausible: boolean }>;
  queryFrames: number;
  refFrames: number;
}

/** Another track the search reached: its hits and the least its length can be. */
export interface OtherTrack {
  hits: number;
  minFrames: number;
}

const slopesOver = (spanFrames: number) => 1 + (2 * SLOPE_RANGE * spanFrames) / WINDOW_FRAMES;

/** windows × slopes × Σ P(Bin(trials, p) ≥ score) over one pair's cells. */
function pairSum(cells: Array<{ trials: number; p: number }>, queryFrames: number, refFrames: number, score: number, spanFrames: number): number {
  const q = Math.max(queryFrames, WINDOW_FRAMES);
  const r = Math.max(refFrames, WINDOW_FRAMES);
  const windows = (q + r) / WINDOW_FRAMES;
  let sum = 0;
  for (const c of cells) if (c.trials >= score) sum += binomialTail(c.trials, c.p, score);
  return windows * slopesOver(spanFrames) * sum;
}

/** The chance of one hit landing on a given offset window of a (query, track) pair. */
export const windowChance = (queryFrames: number, refFrames: number) => WINDOW_FRAMES / Math.max(queryFrames, refFrames, WINDOW_FRAMES);

/**
 * The e-value of `score` distinct query positions on one alignment with the candidate track
 * (its own background, `bg`), plus every other track the search reached (`others`, less
 * `except`: the candidate's own entry, when the list holds it).
 */
export function chanceOf(bg: PairBackground, score: number, spanFrames: number, plausible: boolean, others: Iterable<OtherTrack>, except?: OtherTrack): number {
  const cells: Array<{ trials: number; p: number }> = [];
  for (const c of bg.cells) if (c.positions >= score && (!plausible || c.plausible)) cells.push({ trials: c.positions, p: c.mu / c.positions });
  let sum = pairSum(cells, bg.queryFrames, bg.refFrames, score, spanFrames);
  // Another track's hits each count as a position (m = 1: the most trials for its hits).
  // windows·p^s falls with the length beyond the query's: the least favourable length is the
  // query's own, or the bound when that is longer.
  for (const o of others) {
    if (o.hits < score || o === except) continue;
    const r = Math.max(o.minFrames, bg.queryFrames);
    sum += pairSum([{ trials: o.hits, p: windowChance(bg.queryFrames, r) }], bg.queryFrames, r, score, bg.queryFrames);
  }
  return CLASSES * sum;
}
