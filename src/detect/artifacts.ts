// The spectral-artifact detector: upsampling combs, checked for persistence over time, read back
// into the architecture that would make them, with the spectral ceiling as supporting evidence.
//
// Scoring (calibrated on human music of the development corpus, chiptune and tracker music
// included, which also makes exact periodic lines from looped samples):
//  - persistence z: the comb's z-score in each quarter of the file, second lowest of the four,
//    so one long held note or a looped passage cannot carry the verdict;
//  - a comb whose spacing is exactly fs/n with n a product of small strides needs far less
//    persistence than one that is not (a speed change moves it off the exact divisor, so such
//    combs still count, but only when they are as strong as no human track makes them);
//  - a comb that stands out over the whole file (its z on the full average) and is present in
//    every quarter counts on that strength alone, exact divisor or not: a speed change moves
//    the spacing off fs/n but leaves a generator's comb as strong and as steady as it was,
//    while the strongest human combs (tracker loops, held notes) vanish from some quarter;
//  - a ceiling at a model's Nyquist frequency adds to a comb, never replaces one.

import type { DecodedAudio } from '../audio/index.ts';
import { findCeiling } from './ceiling.ts';
import { combZ, residualSpectrum, searchComb, type CombSearch } from './comb.ts';
import { drawSpectrum } from './plot.ts';
import { readSpacing } from './rates.ts';
import { averageSpectrum } from './spectrum.ts';
import type { Detector, DetectOptions, Finding } from './types.ts';

export const ARTIFACT_SETTINGS = {
  segments: 4,
  minSpacingHz: 40,
  maxSpacingHz: 5000,
  /** Harmonics are taken from here up: below it music's own partials crowd the spectrum. */
  bandLoHz: 3000,
  bandHiHz: 20000,
  /** Below this ceiling too little band is left to judge. */
  minCeilingHz: 6000,
  /** Persistence z at which the logit is 0, for exact-divisor and for other combs. */
  exactMidpoint: 10.5,
  freeMidpoint: 18.5,
  slope: 1.1,
  /**
   * Whole-file z at which the logit is 0, for exact-divisor and for other combs, when the comb's
   * z is at least `everywhereZ` in every segment.
   */
  exactWholeMidpoint: 14,
  freeWholeMidpoint: 17,
  everywhereZ: 5,
  ceilingBonus: 1.5,
} as const;

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

export function analyseArtifacts(audio: DecodedAudio, opts: DetectOptions = {}): Finding {
  const s = ARTIFACT_SETTINGS;
  const rate = audio.sampleRate;
  const sp = averageSpectrum(audio.channels, rate, s.segments);
  const base = { detector: 'spectral-artifacts', version: 1 } as const;
  const ceiling = findCeiling(sp.power, sp.binHz, rate);
  const ceilingEvidence = {
    hz: Math.round(ceiling.hz),
    dropDb: round(ceiling.dropDb, 1),
    modelRate: ceiling.modelRate,
    text: ceiling.modelRate
      ? `content stops at ${Math.round(ceiling.hz)} Hz, falling ${round(ceiling.dropDb, 0)} dB: the Nyquist frequency of a model working at ${ceiling.modelRate} Hz`
      : `content reaches ${Math.round(ceiling.hz)} Hz`,
  };
  if (sp.activeFrames < 2 * s.segments) {
    return { ...base, score: null, reason: 'not enough non-silent audio to average', evidence: { binHz: round(sp.binHz, 3), ceiling: ceilingEvidence } };
  }
  if (ceiling.hz < s.minCeilingHz) {
    return {
      ...base,
      score: null,
      reason: `band-limited: no content above ${Math.round(ceiling.hz)} Hz, and the artifacts are measured above ${s.bandLoHz} Hz`,
      evidence: { binHz: round(sp.binHz, 3), ceiling: ceilingEvidence },
    };
  }
  const search: CombSearch = {
    minSpacingHz: s.minSpacingHz,
    maxSpacingHz: s.maxSpacingHz,
    loHz: s.bandLoHz,
    hiHz: Math.min(s.bandHiHz, ceiling.hz - 150, 0.98 * (rate / 2)),
    minHarmonics: 4,
  };
  const res = residualSpectrum(sp.power, sp.binHz);
  const comb = searchComb(res, search);
  if (!comb) return { ...base, score: null, reason: 'band-limited: too little band to search for a comb', evidence: { ceiling: ceilingEvidence } };
  const segmentZ = sp.segments.map((seg) => round(combZ(residualSpectrum(seg, sp.binHz), comb.spacingHz, search)));
  const sorted = [...segmentZ].sort((a, b) => a - b);
  const persistence = sorted[Math.min(1, sorted.length - 1)]!;
  const lastHarmonic = comb.firstHarmonic + comb.harmonics - 1;
  const reading = readSpacing(rate, comb.spacingHz, sp.binHz / lastHarmonic);
  const exact = reading?.exact ?? false;
  const midpoint = exact ? s.exactMidpoint : s.freeMidpoint;
  const everywhere = sorted[0]! >= s.everywhereZ;
  const byPersistence = s.slope * (persistence - midpoint);
  const wholeMidpoint = exact ? s.exactWholeMidpoint : s.freeWholeMidpoint;
  const byWhole = everywhere ? s.slope * (comb.z - wholeMidpoint) : -Infinity;
  const wholeDecides = byWhole > byPersistence;
  let logit = Math.max(byPersistence, byWhole);
  if (ceiling.modelRate && persistence >= 3) logit += s.ceilingBonus;
  const score = 1 / (1 + Math.exp(-logit));
  const holds = segmentZ.filter((z) => z >= 3).length;
  const spacingText = reading?.text ?? `peaks every ${comb.spacingHz.toFixed(2)} Hz`;
  const evidence = {
    binHz: round(sp.binHz, 3),
    comb: {
      spacingHz: round(comb.spacingHz, 3),
      implies: spacingText,
      divisor: reading?.divisor ?? null,
      exactDivisor: exact,
      speedChange: reading && !exact ? round(reading.deviation, 4) : 0,
      harmonics: comb.harmonics,
      firstHarmonicHz: round(comb.firstHarmonic * comb.spacingHz, 1),
      linesAbove3dB: comb.linesAbove3dB,
      meanLineDb: round(comb.meanLineDb),
      z: round(comb.z),
      segments: { count: segmentZ.length, z: segmentZ, holdIn: holds },
      persistenceZ: persistence,
      /** Which reading of the comb's strength decided: its persistence, or its whole-file z (present in every segment). */
      decidedBy: wholeDecides ? 'whole-file z' : 'persistence',
      bandHz: [Math.round(search.loHz), Math.round(search.hiHz)],
    },
    ceiling: ceilingEvidence,
  };
  const reason =
    score >= 0.5
      ? `${spacingText}; ${comb.linesAbove3dB} of ${comb.harmonics} harmonics stand ${round(comb.meanLineDb, 1)} dB above the local spectrum on average, in ${holds} of ${segmentZ.length} time segments${wholeDecides ? ` (z ${round(comb.z, 1)} over the whole file, at least ${s.everywhereZ} in every segment)` : ''}`
      : `no persistent upsampling comb: the strongest candidate, lines every ${comb.spacingHz.toFixed(2)} Hz${exact ? ` (= ${rate}/${reading!.divisor})` : ''}, holds in ${holds} of ${segmentZ.length} time segments (persistence z ${persistence}, ${midpoint} needed; or z ${wholeMidpoint} over the whole file and ${s.everywhereZ} in every segment: ${round(comb.z, 1)} and ${round(sorted[0]!, 1)})`;
  const finding: Finding = { ...base, score: round(score, 4), reason, evidence };
  if (opts.plot) finding.plot = drawSpectrum(sp, res, { spacingHz: comb.spacingHz, firstHarmonic: comb.firstHarmonic, harmonics: comb.harmonics, bandHz: evidence.comb.bandHz, ceilingHz: ceiling.hz, title: spacingText });
  return finding;
}

export const artifactDetector: Detector = { name: 'spectral-artifacts', version: 1, analyse: analyseArtifacts };
