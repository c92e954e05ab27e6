// The second artifact family: statistics that repeat every n samples.
//
// Physics: a transposed convolution of stride s makes output sample t from kernel taps chosen by
// t mod s (its s polyphase branches), so even where the layer adds no exact spectral line, the
// fine detail of its output is louder on some phases than on others, with period s; a stack of
// layers repeats with the product of the strides (a linear periodically time-varying system:
// its output is cyclostationary; W. A. Gardner, "Exploitation of spectral redundancy in
// cyclostationary signals", IEEE SP Magazine 8(2), 1991). Neural codec decoders at low bit rates,
// whose first-order comb (comb.ts) is faint, show this second-order trace strongly.
//
// Measure: the log level of the signal's second difference (its fine detail, weighted toward
// the top octaves) is averaged into a spectrum like the audio itself (spectrum.ts); a level that
// repeats every n samples puts lines at multiples of fs/n into that spectrum, found by the same
// comb searches. Music's own loudness changes far more slowly than 1 kHz, so the search starts
// there. A resampler is a periodically time-varying filter too and can leave the same trace
// without any line in the audio, so this family never decides alone: artifacts.ts asks the
// audio's own spectrum to show lines at the same spacing (two independent traces of one period).

import { combZ, residualSpectrum, searchComb, searchDivisors, type CombCandidate, type CombSearch, type Residual } from './comb.ts';
import { round } from './readings.ts';
import { averageSpectrum, type SpectrumFrames } from './spectrum.ts';

const PERIODICITY_SETTINGS = {
  /** Lines in the level's spectrum are searched from here up to just below Nyquist, Hz. */
  bandLoHz: 1000,
  /**
   * Bins 4 times wider than the audio spectrum's (about 2.7 Hz at 44.1 kHz) over at most 48
   * frames (about 18 s), each a quarter of one of the audio spectrum's frames: the level's lines
   * stand far above its spectrum, and this keeps the family to a fifth of the detector's time.
   */
  binScale: 4,
  maxFrames: 48,
} as const;

/**
 * Starts of the level's frames: quarters of the audio spectrum's frames, spread evenly over
 * them, so this family reads no sample the spectrum does not.
 */
function quarterStarts({ starts, size }: SpectrumFrames): number[] {
  const { binScale, maxFrames } = PERIODICITY_SETTINGS;
  const slots = starts.length * binScale;
  const n = Math.min(maxFrames, slots);
  return Array.from({ length: n }, (_, f) => {
    const slot = Math.floor((f * slots) / n);
    return starts[Math.floor(slot / binScale)]! + (slot % binScale) * (size / binScale);
  });
}

export interface PeriodicComb {
  comb: CombCandidate;
  found: 'every spacing' | 'whole divisors';
  segmentZ: number[];
  minZ: number;
  /** How far (relative) the true spacing may lie from the found one: two bins over its highest harmonic. */
  tolerance: number;
}

/** Frame (in place) -> log2 level of its second difference, mean removed. */
function fineDetailLevel(frame: Float64Array): void {
  let p2 = frame[0]!;
  let p1 = frame[1]!;
  let sum = 0;
  for (let i = 2; i < frame.length; i++) {
    const v = frame[i]!;
    const d = v - 2 * p1 + p2;
    p2 = p1;
    p1 = v;
    const l = Math.log2(d * d + 1e-10);
    frame[i] = l;
    sum += l;
  }
  const mean = sum / (frame.length - 2);
  frame[0] = mean;
  frame[1] = mean;
  for (let i = 0; i < frame.length; i++) frame[i]! -= mean;
}

export interface PeriodicAnalysis {
  /** The level spectrum's residual (for the plot), null when too little audio was active. */
  res: Residual | null;
  bandHz: [number, number];
  combs: PeriodicComb[];
}

/**
 * The strongest comb of each search (every spacing, whole divisors) in the spectrum of the
 * fine-detail level, with its z in each of `segments` time segments; no combs when the band
 * holds too few harmonics. It looks inside the audio spectrum's frames (`within`).
 */
export function periodicCombs(channels: Float32Array[], rate: number, within: SpectrumFrames, segments: number, minSpacingHz: number, maxSpacingHz: number): PeriodicAnalysis {
  const s = PERIODICITY_SETTINGS;
  const search: CombSearch = { minSpacingHz, maxSpacingHz, loHz: s.bandLoHz, hiHz: 0.98 * (rate / 2), minHarmonics: 4 };
  const bandHz: [number, number] = [Math.round(search.loHz), Math.round(search.hiHz)];
  const sp = averageSpectrum(channels, rate, segments, { size: within.size / s.binScale, starts: quarterStarts(within), prepare: fineDetailLevel });
  if (sp.activeFrames < 2 * segments) return { res: null, bandHz, combs: [] };
  const res = residualSpectrum(sp.power, sp.binHz);
  const segmentRes = sp.segments.map((seg) => residualSpectrum(seg, sp.binHz));
  const combs: PeriodicComb[] = [];
  const add = (comb: CombCandidate | null, found: PeriodicComb['found']) => {
    if (!comb) return;
    const segmentZ = segmentRes.map((r) => round(combZ(r, comb.spacingHz, search, comb.skipEvery)));
    const tolerance = (2 * sp.binHz) / (comb.lastHarmonic * comb.spacingHz);
    combs.push({ comb, found, segmentZ, minZ: Math.min(...segmentZ), tolerance });
  };
  add(searchComb(res, search), 'every spacing');
  for (const c of searchDivisors(res, rate, search)) add(c, 'whole divisors');
  return { res, bandHz, combs };
}
