// The master layer: parts of an output that replicate catalog recordings, exactly or altered
// (re-encoded, sped up, pitch-shifted, mixed under other material), found through the
// fingerprint index.
//
// The output is searched in overlapping windows, each a query of its own, so one output can
// replicate several recordings, or one recording several times, at different places. A window
// of WINDOW_SECONDS every HOP_SECONDS holds any replicated part of WINDOW_SECONDS - HOP_SECONDS
// or more whole (5% of a 3-minute output is 9 s). Windows that agree on a track and on its
// alignment (the same offset at the same time factor) merge into one segment of evidence.
//
// Strength follows from the chance estimate (fingerprint/chance.ts). A window's `expected` is
// for one query; the output made `windows` of them, so the expected number of chance matches this
// strong in the whole output is `expected · windows` (Bonferroni). Strength is how many decades
// that lies below the reporting threshold, over STRENGTH_DECADES: 0 at the threshold, 1 once a
// chance match is a million times less likely than the threshold allows.

import { DEFAULT_CONFIG, DEFAULT_MATCH, matchHashes, sliceHashes, type FingerprintIndex, type Hashes, type RawMatch } from '../fingerprint/index.ts';

export const WINDOW_SECONDS = 10;
export const HOP_SECONDS = 4;
export const STRENGTH_DECADES = 6;
/** Windows agreeing on a track's offset within this many seconds are one segment. */
const SAME_OFFSET_SECONDS = 1;
/** Matches kept per window, so other organisations' tracks (filtered out later) cannot crowd out the caller's. */
const PER_WINDOW = 20;

export interface ReplicatedSegment {
  ref: number;
  outputStart: number;
  outputEnd: number;
  refStart: number;
  refEnd: number;
  /** Reference time per output time (the speed-up the output applied). */
  speed: number;
  /** Output pitch minus reference pitch, cents. */
  pitchCents: number;
  /** Expected chance matches this strong in the whole output's search. */
  expected: number;
  strength: number;
}

export function strengthOf(expectedInOutput: number, threshold = DEFAULT_MATCH.maxExpected): number {
  if (!(expectedInOutput > 0)) return 1;
  return Math.max(0, Math.min(1, Math.log10(threshold / expectedInOutput) / STRENGTH_DECADES));
}

/** Window starts, seconds: every HOP_SECONDS, the last flush with the end. */
export function windowStarts(durationSeconds: number): number[] {
  if (durationSeconds <= WINDOW_SECONDS) return [0];
  const out: number[] = [];
  for (let s = 0; s + WINDOW_SECONDS < durationSeconds; s += HOP_SECONDS) out.push(s);
  out.push(durationSeconds - WINDOW_SECONDS);
  return out;
}

/** Every replicated segment of the output, strongest first. */
export async function replicatedSegments(index: FingerprintIndex, hashes: Hashes, durationSeconds: number): Promise<ReplicatedSegment[]> {
  const hop = DEFAULT_CONFIG.hopSeconds;
  const starts = windowStarts(durationSeconds);
  const found: Array<RawMatch & { from: number }> = [];
  for (const start of starts) {
    const from = Math.round(start / hop);
    const window = sliceHashes(hashes, from, from + Math.round(WINDOW_SECONDS / hop));
    if (window.count === 0) continue;
    const matches = await matchHashes(index, window, DEFAULT_CONFIG, { ...DEFAULT_MATCH, maxResults: PER_WINDOW });
    for (const m of matches) found.push({ ...m, from: start });
  }
  return mergeWindows(found, starts.length);
}

/** Windows' matches (times relative to their window at `from`) merged per track and alignment. */
export function mergeWindows(found: Array<RawMatch & { from: number }>, windows: number): ReplicatedSegment[] {
  const segments: ReplicatedSegment[] = [];
  const sorted = found
    .map((m) => ({ ...m, queryStart: m.queryStart + m.from, queryEnd: m.queryEnd + m.from }))
    .sort((a, b) => a.ref - b.ref || a.queryStart - b.queryStart);
  for (const m of sorted) {
    const offset = m.refStart - m.timeFactor * m.queryStart;
    const expected = m.expected * windows;
    const open = segments.find(
      (s) => s.ref === m.ref && m.queryStart <= s.outputEnd + HOP_SECONDS && Math.abs(s.refStart - s.speed * s.outputStart - offset) <= SAME_OFFSET_SECONDS,
    );
    if (!open) {
      segments.push({ ref: m.ref, outputStart: m.queryStart, outputEnd: m.queryEnd, refStart: m.refStart, refEnd: m.refEnd, speed: m.timeFactor, pitchCents: m.pitchCents, expected, strength: strengthOf(expected) });
      continue;
    }
    open.outputEnd = Math.max(open.outputEnd, m.queryEnd);
    open.refStart = Math.min(open.refStart, m.refStart);
    open.refEnd = Math.max(open.refEnd, m.refEnd);
    if (expected < open.expected) {
      open.expected = expected;
      open.strength = strengthOf(expected);
      open.speed = m.timeFactor;
      open.pitchCents = m.pitchCents;
    }
  }
  return segments.sort((a, b) => b.strength - a.strength || a.outputStart - b.outputStart);
}
