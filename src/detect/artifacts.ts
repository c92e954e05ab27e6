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
import { combAt, combZ, residualSpectrum, searchComb, type CombCandidate, type CombSearch, type Residual } from './comb.ts';
import { drawSpectrum } from './plot.ts';
import { MP3_GRANULE, readSpacing, upsamplingDivisors } from './rates.ts';
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
  /**
   * Whole-file z at which the logit is 0 for the best comb among the exact divisors alone, when
   * its z is at least `divisorFloorZ` in every segment.
   */
  divisorMidpoint: 7.5,
  divisorFloorZ: 2,
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
  const free = searchComb(res, search);
  if (!free) return { ...base, score: null, reason: 'band-limited: too little band to search for a comb', evidence: { ceiling: ceilingEvidence } };
  const segmentRes = sp.segments.map((seg) => residualSpectrum(seg, sp.binHz));
  const candidates = [readComb(free, 'free')];
  const atDivisor = searchDivisors(res, rate, search);
  if (atDivisor) candidates.push(readComb(atDivisor, 'divisor'));
  const chosen = candidates.reduce((a, b) => (b.logit > a.logit ? b : a));

  function readComb(comb: CombCandidate, found: 'free' | 'divisor') {
    const segmentZ = segmentRes.map((r) => round(combZ(r, comb.spacingHz, search)));
    const sorted = [...segmentZ].sort((a, b) => a - b);
    const persistence = sorted[Math.min(1, sorted.length - 1)]!;
    const lastHarmonic = comb.firstHarmonic + comb.harmonics - 1;
    const reading = readSpacing(rate, comb.spacingHz, sp.binHz / lastHarmonic);
    const exact = (reading?.exact && !reading.codecGrid) ?? false;
    const readings: Array<[Reading, number]> = [['persistence', s.slope * (persistence - (exact ? s.exactMidpoint : s.freeMidpoint))]];
    if (sorted[0]! >= s.everywhereZ) readings.push(['whole-file z', s.slope * (comb.z - (exact ? s.exactWholeMidpoint : s.freeWholeMidpoint))]);
    if (found === 'divisor' && sorted[0]! >= s.divisorFloorZ) readings.push(['exact divisor', s.slope * (comb.z - s.divisorMidpoint)]);
    const [decidedBy, best] = readings.reduce((a, b) => (b[1] > a[1] ? b : a));
    const logit = best + (ceiling.modelRate && persistence >= 3 ? s.ceilingBonus : 0);
    return { comb, found, segmentZ, minZ: sorted[0]!, persistence, reading, exact, decidedBy, logit };
  }

  const { comb, segmentZ, minZ, persistence, reading, exact, decidedBy, logit } = chosen;
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
      codecGrid: reading?.codecGrid ?? null,
      speedChange: reading && !reading.exact ? round(reading.deviation, 4) : 0,
      harmonics: comb.harmonics,
      firstHarmonicHz: round(comb.firstHarmonic * comb.spacingHz, 1),
      linesAbove3dB: comb.linesAbove3dB,
      meanLineDb: round(comb.meanLineDb),
      z: round(comb.z),
      segments: { count: segmentZ.length, z: segmentZ, holdIn: holds },
      persistenceZ: persistence,
      /** How the comb was found: the search over every spacing, or the one over whole divisors of the rate. */
      foundBy: chosen.found === 'free' ? 'every spacing' : 'whole divisors',
      /** Which reading of its strength decided: persistence, whole-file z (present in every segment), or whole-file z at an exact divisor. */
      decidedBy,
      bandHz: [Math.round(search.loHz), Math.round(search.hiHz)],
    },
    ceiling: ceilingEvidence,
  };
  const how =
    decidedBy === 'whole-file z'
      ? ` (z ${round(comb.z, 1)} over the whole file, at least ${s.everywhereZ} in every segment)`
      : decidedBy === 'exact divisor'
        ? ` (z ${round(comb.z, 1)} over the whole file at an exact divisor of the sample rate, at least ${s.divisorFloorZ} in every segment)`
        : '';
  const reason =
    score >= 0.5
      ? `${spacingText}; ${comb.linesAbove3dB} of ${comb.harmonics} harmonics stand ${round(comb.meanLineDb, 1)} dB above the local spectrum on average, in ${holds} of ${segmentZ.length} time segments${how}`
      : `no persistent upsampling comb: the strongest candidate, lines every ${comb.spacingHz.toFixed(2)} Hz${exact ? ` (= ${rate}/${reading!.divisor})` : ''}, holds in ${holds} of ${segmentZ.length} time segments (persistence z ${persistence}, ${exact ? s.exactMidpoint : s.freeMidpoint} needed; or z ${exact ? s.exactWholeMidpoint : s.freeWholeMidpoint} over the whole file and ${s.everywhereZ} in every segment: ${round(comb.z, 1)} and ${round(minZ, 1)})`;
  const finding: Finding = { ...base, score: round(score, 4), reason, evidence };
  if (opts.plot) finding.plot = drawSpectrum(sp, res, { spacingHz: comb.spacingHz, firstHarmonic: comb.firstHarmonic, harmonics: comb.harmonics, bandHz: evidence.comb.bandHz, ceilingHz: ceiling.hz, title: spacingText });
  return finding;
}

type Reading = 'persistence' | 'whole-file z' | 'exact divisor';

/**
 * The strongest comb whose spacing is exactly fs / n for an upsampling divisor n. About a hundred
 * spacings are tried instead of the free search's ~10^5, so chance alone gives a far lower best z
 * and a weaker comb can be believed (the look-elsewhere effect): this is how the faint combs of
 * low-bit-rate codec decoders are read, when the file has not been sped up or slowed down.
 *
 * A file that went through MP3 may carry the granule comb (fs/576), and a comb at fs/n shares
 * every (n / gcd(n, 576))-th line with it. When the granule's own lines, away from the
 * candidate's, stand out, the candidate is judged on the lines it does not share (none, for a
 * divisor of 576), so the encoder's trace never counts as a generator's.
 */
function searchDivisors(res: Residual, rate: number, search: CombSearch): CombCandidate | null {
  let best: CombCandidate | null = null;
  for (const n of upsamplingDivisors(rate, search.minSpacingHz, search.maxSpacingHz)) {
    const shared = gcd(n, MP3_GRANULE);
    const granule = combZ(res, rate / MP3_GRANULE, search, MP3_GRANULE / shared) >= GRANULE_Z;
    if (granule && n === shared) continue;
    const c = combAt(res, rate / n, search, granule ? n / shared : 0);
    if (c && (!best || c.z > best.z)) best = c;
  }
  return best;
}

/** z of the MP3 granule comb's lines at which it counts as present. */
const GRANULE_Z = 3;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

export const artifactDetector: Detector = { name: 'spectral-artifacts', version: 1, analyse: analyseArtifacts };
