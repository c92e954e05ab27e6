// From a residual spectrum to a judged comb: the two searches (every spacing, and the whole
// divisors of the sample rate), each candidate read three ways, and the evidence a reviewer
// reads. artifacts.ts calibrates them and adds a fourth reading, the agreement of a comb with
// the period of the signal's statistics (periodicity.ts).
//
// The three readings of one comb's strength, as logits (calibrated on human music, chiptune and
// tracker music included, which also makes exact periodic lines from looped samples):
//  - persistence: the comb's z in each quarter of the file, second lowest of the four, so one
//    long held note or a looped passage cannot carry the verdict;
//  - whole-file z, when the comb is present (z >= everywhereZ) in every quarter: a speed change
//    moves a generator's comb off fs/n but leaves it as strong and as steady as it was, while
//    the strongest human combs (tracker loops, held notes) vanish from some quarter;
//  - exact divisor: the best comb among the whole divisors of the rate alone, on its whole-file
//    z, when it holds (z >= floorZ) in every quarter. About a hundred spacings compete there
//    (two hundred in a 48-kHz file, whose comb may be a 44.1-kHz model's: rates.ts
//    `convertedFrom`) instead of ~10^5, so chance gives a far lower best z and a fainter comb can
//    be believed;
//  - phase-locked: a comb at no whole divisor, present in every quarter, whose lines keep one phase
//    through the file (phase-lock.ts) is read on its whole-file z as an exact one is: both say the
//    lines are a fixed pattern tied to the sample clock, which a speed change does not undo.
// A comb whose spacing is exactly fs/n needs less than one that is not, in every reading.

import { combZ, searchComb, searchDivisors, type CombCandidate, type CombSearch, type Residual } from './comb.ts';
import { phaseLock, type PhaseLock } from './phase-lock.ts';
import { convertedFrom, readLoneSpacing, type RateReading } from './rates.ts';
import type { FrameSpectra } from './spectrum.ts';

export interface ReadingSettings {
  slope: number;
  /** Persistence z at which the logit is 0 (exact divisor / other); absent: no persistence reading. */
  persistence?: { exact: number; free: number };
  /** Whole-file z at which the logit is 0 (exact divisor / other), with z >= everywhereZ in every segment. */
  whole: { exact: number; free: number; everywhereZ: number };
  /** Whole-file z at which the logit is 0 for the best exact-divisor comb, with z >= floorZ in every segment. */
  divisor: { midpoint: number; floorZ: number };
  /** A comb at no whole divisor, with z >= whole.everywhereZ in every segment and at least minShare of its lines' energy phase-locked, counts from z = midpoint. */
  locked?: { minShare: number; midpoint: number };
}

export type Reading = 'persistence' | 'whole-file z' | 'exact divisor' | 'phase-locked' | 'periodic statistics';

export interface JudgedComb {
  comb: CombCandidate;
  /** Which search found it: in the audio's spectrum, or near the period of its statistics. */
  found: 'every spacing' | 'whole divisors' | 'periodic statistics';
  segmentZ: number[];
  minZ: number;
  persistence: number;
  reading: RateReading | null;
  /** Exactly fs / n for an upsampling divisor (not a codec grid). */
  exact: boolean;
  /** How much of the lines' energy keeps one phase through the file, when it could matter. */
  lock: PhaseLock | null;
  decidedBy: Reading;
  logit: number;
  /** Every reading that applied, with its logit: the calibration weighs each on its own. */
  readings: Array<[Reading, number]>;
}

export const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** A spectrum to judge combs in: its residual, its segments' residuals, the rate and the band. */
export interface CombContext {
  res: Residual;
  segments: Residual[];
  rate: number;
  search: CombSearch;
  settings: ReadingSettings;
  /** The frames' complex spectra over the band, for the phase-locked reading. */
  kept?: FrameSpectra;
}

/** The phase-locked reading is worked out only for a comb it could lift above this logit. */
const LOCK_WORTH_LOGIT = -4;

/** Every comb the two searches found, each judged; empty when the band holds too few harmonics. */
export function judgeCombs(ctx: CombContext): JudgedComb[] {
  const free = searchComb(ctx.res, ctx.search);
  if (!free) return [];
  const judged = [judgeComb(ctx, free, 'every spacing')];
  for (const c of searchDivisors(ctx.res, ctx.rate, ctx.search, { alsoAt: convertedFrom(ctx.rate) })) judged.push(judgeComb(ctx, c, 'whole divisors'));
  return judged;
}

/** One comb read every way that applies to how it was found; the strongest reading is its logit. */
export function judgeComb(ctx: CombContext, comb: CombCandidate, found: JudgedComb['found']): JudgedComb {
  const { res, segments, rate, search, settings: s } = ctx;
  const segmentZ = segments.map((r) => round(combZ(r, comb.spacingHz, search, comb.skipEvery)));
  const sorted = [...segmentZ].sort((a, b) => a - b);
  const persistence = sorted[Math.min(1, sorted.length - 1)]!;
  const minZ = sorted[0]!;
  const reading = readLoneSpacing(rate, comb.spacingHz, res.binHz / comb.lastHarmonic);
  const exact = (reading?.exact && !reading.codecGrid && !coarserComb(ctx, comb, reading)) ?? false;
  const lock =
    !exact && s.locked && ctx.kept && minZ >= s.whole.everywhereZ && s.slope * (comb.z - s.locked.midpoint) >= LOCK_WORTH_LOGIT
      ? phaseLock(ctx.kept, rate, res.binHz, comb.spacingHz, (2 * res.binHz) / (comb.lastHarmonic * comb.spacingHz), search.loHz, search.hiHz)
      : null;
  const readings: Array<[Reading, number]> = [];
  if (s.persistence) readings.push(['persistence', s.slope * (persistence - (exact ? s.persistence.exact : s.persistence.free))]);
  readings.push(['whole-file z', minZ >= s.whole.everywhereZ ? s.slope * (comb.z - (exact ? s.whole.exact : s.whole.free)) : -Infinity]);
  if (found === 'whole divisors' && exact && minZ >= s.divisor.floorZ) readings.push(['exact divisor', s.slope * (comb.z - s.divisor.midpoint)]);
  if (lock && s.locked && lock.share >= s.locked.minShare) readings.push(['phase-locked', s.slope * (comb.z - s.locked.midpoint)]);
  const [decidedBy, logit] = readings.reduce((a, b) => (b[1] > a[1] ? b : a));
  return { comb, found, segmentZ, minZ, persistence, reading, exact, lock, decidedBy, logit, readings };
}

/**
 * True when the comb at fs/n is really a comb m times coarser that is no whole divisor itself: its
 * lines other than every m-th do not stand out (z < floorZ). A note's harmonics at 215.3 Hz are
 * every fifth line of the 44100/1024 comb, and would otherwise pass for one.
 */
function coarserComb(ctx: CombContext, comb: CombCandidate, reading: RateReading | null): boolean {
  if (!reading || comb.skipEvery) return false;
  for (let m = 2; m <= 8; m++) {
    if (reading.divisor % m === 0) continue;
    if (combZ(ctx.res, comb.spacingHz, ctx.search, m) < ctx.settings.divisor.floorZ) return true;
  }
  return false;
}

/** The comb as evidence: spacing and what it implies, harmonics, strength, persistence, how it was read. */
export function combEvidence(j: JudgedComb, search: CombSearch): Record<string, unknown> {
  const { comb, reading } = j;
  return {
    spacingHz: round(comb.spacingHz, 3),
    implies: spacingText(j),
    divisor: reading?.divisor ?? null,
    /** The rate the divisor divides: the file's, or the generator rate it was converted from. */
    divisorOfRate: reading?.rate ?? null,
    exactDivisor: j.exact,
    codecGrid: reading?.codecGrid ?? null,
    speedChange: reading && !reading.exact ? round(reading.deviation, 4) : 0,
    harmonics: comb.harmonics,
    firstHarmonicHz: round(comb.firstHarmonic * comb.spacingHz, 1),
    linesAbove3dB: comb.linesAbove3dB,
    meanLineDb: round(comb.meanLineDb),
    z: round(comb.z),
    segments: { count: j.segmentZ.length, z: j.segmentZ, holdIn: holdIn(j) },
    persistenceZ: j.persistence,
    /** Share of the lines' energy keeping one phase through the file (measured for a strong comb at no whole divisor). */
    phaseLockedShare: j.lock ? round(j.lock.share, 3) : null,
    foundBy: j.found,
    decidedBy: j.decidedBy,
    bandHz: [Math.round(search.loHz), Math.round(search.hiHz)],
  };
}

export const spacingText = (j: JudgedComb) => j.reading?.text ?? `peaks every ${j.comb.spacingHz.toFixed(2)} Hz`;

/** Segments in which the comb stands at z >= 3. */
export const holdIn = (j: JudgedComb) => j.segmentZ.filter((z) => z >= 3).length;

/** The comb reading that decided, said in words, for a positive finding. */
export function howDecided(j: JudgedComb, s: ReadingSettings): string {
  if (j.decidedBy === 'whole-file z') return `z ${round(j.comb.z, 1)} over the whole file, at least ${s.whole.everywhereZ} in every segment`;
  if (j.decidedBy === 'exact divisor') return `z ${round(j.comb.z, 1)} over the whole file at an exact divisor of the sample rate, at least ${s.divisor.floorZ} in every segment`;
  if (j.decidedBy === 'phase-locked') return `z ${round(j.comb.z, 1)} over the whole file, at least ${s.whole.everywhereZ} in every segment, and ${lockedText(j.lock!)}`;
  return `persistence z ${j.persistence}, the second lowest of the segments`;
}

/** What the comb lacked, said in words, for a negative finding. */
export function whatWasNeeded(j: JudgedComb, s: ReadingSettings): string {
  const whole = j.exact ? s.whole.exact : s.whole.free;
  const parts = [`z ${whole} over the whole file and ${s.whole.everywhereZ} in every segment: it has ${round(j.comb.z, 1)} and ${round(j.minZ, 1)}`];
  if (s.persistence) parts.unshift(`persistence z ${j.exact ? s.persistence.exact : s.persistence.free}: it has ${j.persistence}`);
  parts.push(`or, at an exact divisor, z ${s.divisor.midpoint} and ${s.divisor.floorZ} in every segment`);
  if (j.lock && s.locked) {
    parts.push(`or, with ${Math.round(100 * s.locked.minShare)}% of the lines' energy keeping one phase through the file, z ${s.locked.midpoint}: it has ${Math.round(100 * j.lock.share)}%`);
  }
  return parts.join('; ');
}

/** "37% of the lines' energy keeps one phase through the file (...)", for a comb read as phase-locked. */
const lockedText = (l: PhaseLock) =>
  `${Math.round(100 * l.share)}% of the lines' energy keeps one phase through the file (${l.harmonics} harmonics over ${l.frames} frames): a fixed pattern locked to the sample clock, as an upsampling stack adds, where music's periodicities drift`;
