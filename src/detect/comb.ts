// Comb search: finds evenly spaced spectral lines k × Δ in an averaged spectrum, for any spacing
// Δ in a range, without assuming the sample rate that produced them.
//
// Why a comb: a transposed convolution of stride s is zero insertion followed by a learned FIR.
// Zero insertion makes the spectrum periodic with period fs_in (the layer's input rate); the
// FIR never removes the images completely, and the slowly varying mean of the feature maps
// (biases, ReLU/Snake outputs are not zero-mean) becomes lines at exact multiples of fs_in.
// Stacked layers give lines at fs_out / (product of the strides after each layer), e.g.
// 44100/256 = 172.27 Hz. The spacing depends on the architecture, not the weights
// (Odena et al., "Deconvolution and checkerboard artifacts", Distill 2016; Afchar et al.,
// ISMIR 2025, describe the same physics). A speed change moves every line by the same factor,
// so the search runs over Δ continuously (log grid fine enough that the highest harmonic used
// moves by under one bin per step) instead of over a list of known rates.
//
// The statistic for one Δ compares the residual spectrum (level above the local median, dB)
// at the comb's harmonics with the residual's own distribution over the band: a z-score of the
// mean over H harmonics, so a weak line that repeats 80 times outweighs one strong partial.

import { codecGrids, upsamplingDivisors } from './rates.ts';

export interface CombCandidate {
  /** Line spacing, Hz. */
  spacingHz: number;
  /** Harmonics inside the searched band, and those standing out by at least 3 dB. */
  harmonics: number;
  linesAbove3dB: number;
  /** Mean level of the lines above the local median spectrum, dB. */
  meanLineDb: number;
  /** Mean residual at the lines in standard errors of the band's residual. */
  z: number;
  /** Indices of the first and the last harmonic in the band (the last sets the spacing's precision). */
  firstHarmonic: number;
  lastHarmonic: number;
  /** Every this-many-th harmonic is left out (lines an encoder grid explains); 0 when none is. */
  skipEvery: number;
}

export interface Residual {
  /** dB above the local median, maximum over the bin and its two neighbours. */
  peak: Float64Array;
  binHz: number;
}

/** Half-width (bins) of the local median that the residual is measured against. */
const MEDIAN_HALF = 12;

/** Level of each bin above the median of its neighbourhood, dB; robust to the lines themselves. */
export function residualSpectrum(power: Float64Array, binHz: number): Residual {
  const n = power.length;
  const db = new Float64Array(n);
  for (let k = 0; k < n; k++) db[k] = 10 * Math.log10(power[k]! + 1e-30);
  // The neighbourhood slides one bin at a time, so it is kept sorted: one value leaves and one
  // enters per bin (an insertion into 25 sorted values) instead of a selection per bin.
  const r = new Float64Array(n);
  const sorted = new Float64Array(2 * MEDIAN_HALF + 1);
  let len = 0;
  const insert = (v: number) => {
    let i = len++;
    while (i > 0 && sorted[i - 1]! > v) {
      sorted[i] = sorted[i - 1]!;
      i--;
    }
    sorted[i] = v;
  };
  const remove = (v: number) => {
    let i = 0;
    while (i < len - 1 && sorted[i] !== v) i++;
    for (len--; i < len; i++) sorted[i] = sorted[i + 1]!;
  };
  /** One value leaves and one enters a full window: the leaver's slot takes the newcomer, which moves to its place. */
  const replace = (out: number, v: number) => {
    let lo = 0;
    let hi = len - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < out) lo = mid + 1;
      else hi = mid;
    }
    let i = lo;
    while (i > 0 && sorted[i - 1]! > v) {
      sorted[i] = sorted[i - 1]!;
      i--;
    }
    while (i < len - 1 && sorted[i + 1]! < v) {
      sorted[i] = sorted[i + 1]!;
      i++;
    }
    sorted[i] = v;
  };
  for (let i = 0; i <= Math.min(n - 1, MEDIAN_HALF); i++) insert(db[i]!);
  for (let k = 0; k < n; k++) {
    // Window [k - MEDIAN_HALF, k + MEDIAN_HALF] clipped to the spectrum, as it enters bin k.
    if (k > 0) {
      const leaving = k - MEDIAN_HALF - 1 >= 0;
      const entering = k + MEDIAN_HALF < n;
      if (leaving && entering) replace(db[k - MEDIAN_HALF - 1]!, db[k + MEDIAN_HALF]!);
      else if (leaving) remove(db[k - MEDIAN_HALF - 1]!);
      else if (entering) insert(db[k + MEDIAN_HALF]!);
    }
    r[k] = db[k]! - sorted[len >> 1]!;
  }
  const peak = new Float64Array(n);
  for (let k = 0; k < n; k++) peak[k] = Math.max(r[k]!, r[k > 0 ? k - 1 : 0]!, r[k < n - 1 ? k + 1 : k]!);
  return { peak, binHz };
}


export interface CombSearch {
  minSpacingHz: number;
  maxSpacingHz: number;
  /** Band the harmonics are taken from, Hz. */
  loHz: number;
  hiHz: number;
  /** A spacing needs at least this many harmonics in the band to be judged. */
  minHarmonics: number;
}

interface Band {
  loBin: number;
  hiBin: number;
  /** Mean and standard deviation of the residual over the band: the null the lines are scored against. */
  mean: number;
  sd: number;
}

/**
 * The band's statistics, computed once per residual and band: every comb measured in one
 * spectrum (hundreds, with the divisor searches) is scored against the same null.
 */
const bands = new WeakMap<Residual, Map<string, Band>>();

function band(res: Residual, search: CombSearch): Band {
  let byBand = bands.get(res);
  if (!byBand) bands.set(res, (byBand = new Map()));
  const key = `${search.loHz}:${search.hiHz}`;
  let b = byBand.get(key);
  if (!b) byBand.set(key, (b = bandStats(res, search)));
  return b;
}

function bandStats(res: Residual, search: CombSearch): Band {
  const { peak, binHz } = res;
  const loBin = Math.max(1, Math.ceil(search.loHz / binHz));
  const hiBin = Math.min(peak.length - 2, Math.floor(search.hiHz / binHz));
  let mean = 0;
  let sq = 0;
  for (let k = loBin; k <= hiBin; k++) {
    mean += peak[k]!;
    sq += peak[k]! * peak[k]!;
  }
  const count = Math.max(1, hiBin - loBin + 1);
  mean /= count;
  return { loBin, hiBin, mean, sd: Math.sqrt(Math.max(1e-9, sq / count - mean * mean)) };
}

/**
 * The harmonics of `spacingHz` inside the band: their residual sum, count and first index.
 * With `skipEvery` m > 1, harmonics whose index is a multiple of m are left out; with `keep`,
 * harmonics whose bin it refuses.
 */
function harmonics(res: Residual, b: Band, spacingHz: number, skipEvery = 0, keep?: (bin: number) => boolean) {
  const { peak, binHz } = res;
  const first = Math.max(1, Math.ceil((b.loBin * binHz) / spacingHz));
  const r = spacingHz / binHz;
  const end = b.hiBin + 0.5;
  let sum = 0;
  let count = 0;
  let above3dB = 0;
  let last = first;
  // Harmonic positions are stepped as in `searchComb`, so both read the same bins.
  for (let k = first, x = first * r; x < end; k++, x += r) {
    if (skipEvery > 1 && k % skipEvery === 0) continue;
    const bin = Math.round(x);
    if (keep && !keep(bin)) continue;
    last = k;
    const v = peak[bin]!;
    sum += v;
    count++;
    if (v >= 3) above3dB++;
  }
  return { sum, count, first, last, above3dB };
}

const zOf = (b: Band, sum: number, count: number) => ((sum / count - b.mean) / b.sd) * Math.sqrt(count);

/** Best comb in the residual, or null when no spacing has enough harmonics in the band. */
export function searchComb(res: Residual, search: CombSearch): CombCandidate | null {
  const b = band(res, search);
  if (b.hiBin - b.loBin < 16) return null;
  // Log grid: one step moves the highest harmonic in the band by one bin.
  const step = 1 / b.hiBin;
  const { peak, binHz } = res;
  let bestZ = -Infinity;
  let bestD = 0;
  const end = b.hiBin + 0.5;
  // The hot loop (about 10^5 spacings): sums only; the chosen spacing is walked again below.
  // A harmonic's bin position is stepped by addition, not computed as k × spacing / binHz: the
  // drift over a few hundred steps is below 1e-8 bin, and the loop runs 1.7 times as fast.
  for (let d = search.minSpacingHz; d <= search.maxSpacingHz; d *= 1 + step) {
    const r = d / binHz;
    let sum = 0;
    let count = 0;
    for (let x = Math.max(1, Math.ceil((b.loBin * binHz) / d)) * r; x < end; x += r) {
      sum += peak[Math.round(x)]!;
      count++;
    }
    if (count < search.minHarmonics) continue;
    const z = zOf(b, sum, count);
    if (z > bestZ) {
      bestZ = z;
      bestD = d;
    }
  }
  if (bestZ === -Infinity) return null;
  const w = harmonics(res, b, bestD);
  return { spacingHz: bestD, harmonics: w.count, linesAbove3dB: w.above3dB, meanLineDb: w.sum / w.count, z: bestZ, firstHarmonic: w.first, lastHarmonic: w.last, skipEvery: 0 };
}

/**
 * The comb at exactly `spacingHz` in a residual spectrum (without every `skipEvery`-th harmonic
 * when given), or null when too few harmonics fit the band.
 */
export function combAt(res: Residual, spacingHz: number, search: CombSearch, skipEvery = 0): CombCandidate | null {
  const b = band(res, search);
  const w = harmonics(res, b, spacingHz, skipEvery);
  if (w.count < search.minHarmonics) return null;
  return { spacingHz, harmonics: w.count, linesAbove3dB: w.above3dB, meanLineDb: w.sum / w.count, z: zOf(b, w.sum, w.count), firstHarmonic: w.first, lastHarmonic: w.last, skipEvery };
}

/**
 * z-score of the same comb in another spectrum (a time segment): does the line persist? With
 * `skipEvery` m, of its harmonics except every m-th: the lines a comb m times coarser lacks.
 */
export function combZ(res: Residual, spacingHz: number, search: CombSearch, skipEvery = 0): number {
  const b = band(res, search);
  const w = harmonics(res, b, spacingHz, skipEvery);
  return w.count === 0 ? 0 : zOf(b, w.sum, w.count);
}

/**
 * z of the comb at `spacingHz` over the lines `keep` accepts (by bin): what is left of a comb
 * once the lines another explanation accounts for are set aside.
 */
export function combZKeeping(res: Residual, spacingHz: number, search: CombSearch, keep: (bin: number) => boolean): { z: number; lines: number } {
  const b = band(res, search);
  const w = harmonics(res, b, spacingHz, 0, keep);
  return { z: w.count === 0 ? 0 : zOf(b, w.sum, w.count), lines: w.count };
}

/**
 * The `top` strongest combs whose spacing is exactly fs / n for an upsampling divisor n, strongest
 * first (a divisor of the best one, carrying half its lines, can outscore it). About a hundred
 * spacings are tried instead of the free search's ~10^5, so chance alone gives a far lower best z
 * and a weaker comb can be believed (the look-elsewhere effect): this is how faint combs are read
 * when the file has not been sped up or slowed down. With `alsoAt`, the divisors of those rates
 * are tried too (a model's comb keeps its spacing through a rate conversion).
 *
 * A comb at fs/n shares every (n / gcd(n, g))-th line with a codec grid's comb at fs/g. When the
 * grid's own lines, away from the candidate's, stand out (the file went through that encoder),
 * the candidate is judged on the lines it does not share, and not at all when it has none (n
 * divides g) or when two grids are present at once: an encoder's trace never counts as a
 * generator's. Another rate's divisors are judged against that rate's grids: a 44.1-kHz MP3
 * converted to 48 kHz keeps its granule lines at 44100/576 Hz.
 */
export function searchDivisors(res: Residual, rate: number, search: CombSearch, { top = STRONGEST_DIVISORS, alsoAt = [] as readonly number[] } = {}): CombCandidate[] {
  const found: CombCandidate[] = [];
  // Within two bins over the band of fs/n: the precision `readSpacing` calls exact, which
  // absorbs a sample clock a few tens of ppm off (seen in real generated files).
  const tolerance = (2 * res.binHz) / search.hiHz;
  for (const r of [rate, ...alsoAt]) {
    const grids = codecGrids(r);
    for (const n of upsamplingDivisors(r, search.minSpacingHz, search.maxSpacingHz)) {
      let skipEvery = 0;
      let judged = true;
      for (const g of grids) {
        const shared = gcd(n, g.samples);
        if (combZ(res, r / g.samples, search, g.samples / shared) < GRID_PRESENT_Z) continue;
        if (n === shared || skipEvery) judged = false;
        skipEvery = n / shared;
      }
      if (!judged) continue;
      const c = combNear(res, r / n, tolerance, search, skipEvery);
      if (c) found.push(c);
    }
  }
  return found.sort((a, b) => b.z - a.z).slice(0, top);
}

/**
 * The best comb within ±`tolerance` (relative) of `spacingHz`, stepped so the highest harmonic in
 * the band moves half a bin per step (without every `skipEvery`-th harmonic when given).
 */
export function combNear(res: Residual, spacingHz: number, tolerance: number, search: CombSearch, skipEvery = 0): CombCandidate | null {
  const step = res.binHz / (2 * search.hiHz);
  let best: CombCandidate | null = null;
  for (let d = spacingHz * (1 - tolerance); d <= spacingHz * (1 + tolerance) * (1 + 1e-12); d *= 1 + step) {
    const c = combAt(res, d, search, skipEvery);
    if (c && (!best || c.z > best.z)) best = c;
  }
  return best;
}

/** Whole-divisor combs kept per spectrum: the strongest may fail a segment the next one holds in. */
const STRONGEST_DIVISORS = 3;

/** z of a codec grid's comb (on the lines a candidate does not share) at which the grid counts as present. */
const GRID_PRESENT_Z = 3;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
