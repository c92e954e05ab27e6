// How often an alignment as strong as a match would turn up between unrelated recordings: the
// expected number of chance matches at least as strong in this query's whole search (an
// e-value, as BLAST reports for sequence alignments: Karlin & Altschul, PNAS 87, 1990).
//
// The matcher searches, per reference track, every (time factor, pitch) cell of the tolerance,
// every time offset and every slope within the cell, and keeps the alignment with most distinct
// query positions. Under the null the reference is unrelated: each of the n hits that fall in a
// (time factor, pitch) neighbourhood lands on a given offset window (WINDOW_FRAMES wide) with
// probability p = WINDOW_FRAMES / max(Q, R), Q and R the query's and the reference's lengths in
// frames (the density of b = rt - a·qt for uniform qt and rt is at most 1 / max(Q, R)). So the
// count s on one alignment is at most Binomial(n, p), and
//
//   E = classes · tracks · Σ over neighbourhoods of the class with n ≥ s: windows · slopes · P(Bin(n, p) ≥ s)
//
// with windows = (Q + R) / WINDOW_FRAMES offsets and slopes the distinguishable line slopes in a
// cell over the matched span. n is measured per neighbourhood from this pair's own hits, so the
// background adapts to the music: a chiptune's exact semitones and tempo grid pile hits into a
// few cells, and those cells are judged against their own density. The sum runs over the
// reference tracks of the whole index (Bonferroni, `tracks`), using this pair's background,
// which for a chance match is the densest one: the bound is conservative.
//
// Physically plausible edits are searched as a class of their own (speed moves pitch and time
// together; a pitch shift keeps time; a tempo change keeps pitch), and combinations as the whole
// plane; each class gets half the error budget (`classes` = 2). An alignment that needs an edit
// no single tool makes is therefore judged against the far larger volume it was found in.

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
  // log C(n, s) p^s (1-p)^(n-s), summed as logs: s is at most a few thousand.
  let log = s * Math.log(p) + (n - s) * Math.log1p(-p);
  for (let i = 0; i < s; i++) log += Math.log((n - i) / (i + 1));
  // Successive terms fall by at least r = (n-s)/(s+1) · p/(1-p) < 1 beyond s.
  const r = ((n - s) / (s + 1)) * (p / (1 - p));
  return Math.min(1, Math.exp(log) / (1 - Math.min(r, 0.999999)));
}

/** Whether an edit (reference time per query time, query pitch minus reference pitch) is one a single tool makes. */
export function plausibleEdit(timeFactor: number, pitchCents: number): boolean {
  return describeEdit(timeFactor, pitchCents).kind !== 'speed+tempo';
}

export interface PairBackground {
  /** Hits per (time factor, pitch) neighbourhood, keyed as the matcher keys them, with the neighbourhood's centre. */
  cells: Map<number, { n: number; timeFactor: number; pitchCents: number }>;
  queryFrames: number;
  refFrames: number;
}

export interface Chance {
  /** Expected number of chance alignments at least this strong in the whole search. */
  expected: number;
  plausible: boolean;
}

/** The e-value of `score` distinct query positions on one alignment against this pair's background. */
export function chanceOf(bg: PairBackground, score: number, spanFrames: number, plausible: boolean, tracks: number): Chance {
  const q = Math.max(bg.queryFrames, WINDOW_FRAMES);
  const r = Math.max(bg.refFrames, WINDOW_FRAMES);
  const p = WINDOW_FRAMES / Math.max(q, r);
  const windows = (q + r) / WINDOW_FRAMES;
  const slopes = 1 + (2 * SLOPE_RANGE * spanFrames) / WINDOW_FRAMES;
  let sum = 0;
  for (const c of bg.cells.values()) {
    if (c.n < score) continue;
    if (plausible && !plausibleEdit(c.timeFactor, c.pitchCents)) continue;
    sum += binomialTail(c.n, p, score);
  }
  return { expected: CLASSES * Math.max(1, tracks) * windows * slopes * sum, plausible };
}
