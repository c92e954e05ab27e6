// Calibration: each reading's logit is lowered by an offset chosen on human music, so that no
// human track it was chosen on scores above UNCERTAIN_SCORE through that reading.
//
// Why offsets from human music alone: what must hold on music nobody here has heard is "a human
// track is not called ai"; the readings' midpoints (ARTIFACT_SETTINGS) follow from the physics and
// from chance (how high a comb's z climbs in noise), and the offsets add what real human music
// showed beyond them. Generated music never enters the choice, so every figure on generated music
// is out of sample by construction, and the bench measures human music leaving each source out
// (each source scored with offsets chosen on the others). The shipped offsets are chosen on every
// human source in ../shared, clean and transformed (`npm run calibrate:detect`), and kept with their
// provenance in calibration.json.
//
// A reading explained by something other than a generator (a comb that could be a held note, a
// channel dip at a lossy codec's block length) is a doubt: it can make the verdict `uncertain`,
// never `ai`, and it does not raise the offsets (it cannot accuse, so it needs no bar).

import { readFileSync } from 'node:fs';

export type ReadingName = 'persistence' | 'whole-file z' | 'exact divisor' | 'phase-locked' | 'periodic statistics' | 'channels rebuilt';

/** One reading's strength in a file, as a logit before calibration, and what explains it if not a generator. */
export interface RawReading {
  logit: number;
  doubt?: string;
}

export type RawReadings = Partial<Record<ReadingName, RawReading>>;

/** Logits subtracted per reading. */
export type Offsets = Partial<Record<ReadingName, number>>;

/** At or above this score a verdict is at least `uncertain`: the calibration keeps every human it was chosen on below it. */
export const UNCERTAIN_SCORE = 0.2;

const logit = (p: number) => Math.log(p / (1 - p));
export const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * Offsets that put every given human file's undoubted readings at or below UNCERTAIN_SCORE: for
 * each reading, how far the highest human logit rises above logit(UNCERTAIN_SCORE), or 0.
 */
export function calibrate(humans: Iterable<RawReadings>): Offsets {
  const bar = logit(UNCERTAIN_SCORE);
  const out: Offsets = {};
  for (const readings of humans) {
    for (const [name, r] of Object.entries(readings) as Array<[ReadingName, RawReading]>) {
      if (r.doubt || !Number.isFinite(r.logit)) continue;
      out[name] = Math.max(out[name] ?? 0, r.logit - bar);
    }
  }
  // Rounded up, so no human it was chosen on ends above the bar by rounding.
  for (const k of Object.keys(out) as ReadingName[]) out[k] = Math.ceil(out[k]! * 1000) / 1000;
  return out;
}

export interface Scored {
  /** Score of the strongest undoubted reading after calibration: what can accuse. */
  score: number;
  decidedBy: ReadingName | null;
  /** The strongest doubted reading, when it scores higher than every undoubted one. */
  doubted: { reading: ReadingName; score: number; doubt: string } | null;
}

export function scoreReadings(readings: RawReadings, offsets: Offsets = SHIPPED.offsets): Scored {
  let best = -Infinity;
  let decidedBy: ReadingName | null = null;
  let doubted: Scored['doubted'] = null;
  let doubtedLogit = -Infinity;
  for (const [name, r] of Object.entries(readings) as Array<[ReadingName, RawReading]>) {
    const l = r.logit - (offsets[name] ?? 0);
    if (r.doubt) {
      if (l > doubtedLogit) {
        doubtedLogit = l;
        doubted = { reading: name, score: sigmoid(l), doubt: r.doubt };
      }
    } else if (l > best) {
      best = l;
      decidedBy = name;
    }
  }
  return { score: sigmoid(best), decidedBy, doubted: doubtedLogit > best ? doubted : null };
}

/**
 * The verdict from the accusing score and the strongest doubted one: `ai` only at the threshold
 * on a reading nothing else explains; `uncertain` for a doubted trace or one too faint to accuse
 * on; else `human`.
 */
export function verdictOf(score: number, doubtedScore: number | null, threshold: number): 'ai' | 'uncertain' | 'human' {
  if (score >= threshold) return 'ai';
  const floor = Math.min(UNCERTAIN_SCORE, threshold);
  return score >= floor || (doubtedScore ?? 0) >= floor ? 'uncertain' : 'human';
}

export interface Calibration {
  offsets: Offsets;
  /** How they were chosen: the human files and sources, the transformations, when. */
  chosenOn: { files: number; sources: string[]; transforms: string[]; date: string };
}

/** The offsets the detector ships with. */
export const SHIPPED: Calibration = JSON.parse(readFileSync(new URL('./calibration.json', import.meta.url), 'utf8')) as Calibration;
