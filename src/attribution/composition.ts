// The composition layer: parts of an output whose melody and harmony follow a catalog work in
// another key, tempo, timbre or arrangement (composition/align.ts finds the alignment).
//
// How long an alignment must be to mean something depends on the music: a piece on three
// chords agrees for a while with many others. So an alignment is judged against what the same
// output does with the rest of the catalog: its score's distance above the mean of the output's
// scores against every other candidate, in standard deviations (z). Two pieces sharing a common
// progression share it with many other pieces too, and stand out less.
//
// Z_ATTRIBUTE was set from unrelated music only: over 87 whole tracks of ../shared/corpus, each
// aligned with the 86 others, no other work stood more than 5.82 standard deviations out
// (measured as here, its own score left out of the background; 4.9 with it left in, the figure
// first quoted). The threshold sits only 3% above that: thin, and a known weakness. Below BACKGROUND_MIN candidates there is no
// background to judge against, and the layer says nothing. Strength grows with z and is full at
// twice the threshold.

import { alignChroma, shortlist, type Alignment, type Chroma, type ShortlistData } from '../composition/index.ts';

export const Z_ATTRIBUTE = 6;
export const BACKGROUND_MIN = 16;
/** Works the shortlist hands to the alignment. */
export const SHORTLISTED = 16;
/** Further works, the same for every output, aligned only to measure the background. */
export const BACKGROUND_SAMPLE = 32;

export interface ComposedSegment {
  trackId: string;
  outputStart: number;
  outputEnd: number;
  refStart: number;
  refEnd: number;
  /** Semitones the output lies above the work. */
  keyShift: number;
  /** Work time per output time. */
  tempoRatio: number;
  /** Standard deviations above the output's alignments with the rest of the catalog. */
  z: number;
  strength: number;
}

export interface Candidate {
  trackId: string;
  chroma: Chroma;
}

/**
 * The works to align with an output: the shortlist (composition/shortlist.ts), and a fixed sample
 * of the catalog (the tracks whose ids hash lowest) so the background the threshold is judged
 * against is not only the works most like the output. A catalog this small or smaller is aligned whole.
 */
export function worksToAlign(data: ShortlistData, query: Int8Array): string[] {
  if (data.trackIds.length <= SHORTLISTED + BACKGROUND_SAMPLE) return [...data.trackIds];
  const chosen = new Set(shortlist(data, query, SHORTLISTED).map((s) => s.trackId));
  const sample = data.trackIds
    .filter((id) => !chosen.has(id))
    .map((id) => ({ id, h: fnv1a(id) }))
    .sort((a, b) => a.h - b.h || (a.id < b.id ? -1 : 1))
    .slice(0, BACKGROUND_SAMPLE);
  for (const s of sample) chosen.add(s.id);
  return [...chosen];
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * Works the output follows, strongest first: those standing `bar` standard deviations out (a
 * bench passes -Infinity to rank every candidate and to calibrate the bar on data it left out).
 */
export function composedSegments(query: Chroma, candidates: Candidate[], bar = Z_ATTRIBUTE): ComposedSegment[] {
  if (candidates.length < BACKGROUND_MIN) return [];
  const aligned = candidates.map((c) => ({ trackId: c.trackId, a: alignChroma(query, c.chroma) }));
  const scores = aligned.map((x) => x.a?.score ?? 0);
  const n = scores.length;
  const sum = scores.reduce((s, x) => s + x, 0);
  const squares = scores.reduce((s, x) => s + x * x, 0);
  const out: ComposedSegment[] = [];
  for (const [i, { trackId, a }] of aligned.entries()) {
    if (!a) continue;
    // Mean and spread of the others, leaving this candidate out.
    const mean = (sum - scores[i]!) / (n - 1);
    const variance = Math.max(0, (squares - scores[i]! ** 2) / (n - 1) - mean * mean);
    const sd = Math.sqrt(variance);
    if (sd === 0) continue;
    const z = (a.score - mean) / sd;
    if (!(z >= bar)) continue;
    out.push(segmentOf(trackId, a, z));
  }
  return out.sort((x, y) => y.z - x.z || (x.trackId < y.trackId ? -1 : 1));
}

function segmentOf(trackId: string, a: Alignment, z: number): ComposedSegment {
  return {
    trackId,
    outputStart: a.queryStart,
    outputEnd: a.queryEnd,
    refStart: a.refStart,
    refEnd: a.refEnd,
    keyShift: a.keyShift,
    tempoRatio: a.tempoRatio,
    z,
    strength: Math.max(0, Math.min(1, z / (2 * Z_ATTRIBUTE))),
  };
}
