// Shares of one output, per layer, in integer parts per million that sum to exactly 1,000,000.
//
// The formula (docs/attribution.md says the same to an artist):
//   the output's timeline is cut into SLICE_SECONDS slices; in each slice every catalog track
//   with evidence covering it claims its strength s (0-1); a slice claimed by several tracks is
//   divided in proportion to their strengths, and when their strengths sum to less than 1 the
//   rest of the slice stays unattributed:
//       claim(track, slice) = s_track / max(1, Σ s over the tracks covering the slice)
//   A track's share is the sum of its claims over the output's slices, as a part of the whole
//   output. So a track replicated at full strength for a quarter of the output earns a quarter;
//   weak evidence earns less than the time it covers, and no time is paid twice.
// Policy then applies, in this order: a cap on any one track's share (the excess goes to the
// residual), and the training-data dividend, a part of every output reserved for the run's
// manifest pro rata (every attributed share is scaled by 1 - dividend). What no evidence explains
// is the residual, `unattributedPpm`, paid by royalties to the run's manifest pro rata.
//
// Rounding: largest remainder (Hamilton's method) over the tracks and the residual together, ties
// broken by the larger exact share, then the residual before tracks, then track id ascending, so
// the same evidence always gives the same integers.

import { WHOLE_PPM } from '../catalog/index.ts';

export const SLICE_SECONDS = 0.1;

export interface Claim {
  trackId: string;
  outputStart: number;
  outputEnd: number;
  /** 0-1: how strongly the evidence says this part of the output draws on the track. */
  strength: number;
}

export interface SharePolicy {
  /** No one track's share above this, ppm. */
  maxTrackPpm: number;
  /** Part of every output reserved for the run's manifest pro rata, ppm. */
  dividendPpm: number;
}

export const DEFAULT_SHARE_POLICY: SharePolicy = { maxTrackPpm: WHOLE_PPM, dividendPpm: 0 };

export interface LayerShares {
  /** Best first; only tracks with a share of at least 1 ppm. */
  shares: Array<{ trackId: string; sharePpm: number }>;
  unattributedPpm: number;
}

/** Exact shares of each claimed track as parts of the whole output (before policy and rounding). */
export function exactShares(durationSeconds: number, claims: Claim[]): Map<string, number> {
  const out = new Map<string, number>();
  if (!(durationSeconds > 0) || claims.length === 0) return out;
  const slices = Math.max(1, Math.ceil(durationSeconds / SLICE_SECONDS));
  const sliceSeconds = durationSeconds / slices;
  const tracks = [...new Set(claims.map((c) => c.trackId))].sort();
  const index = new Map(tracks.map((t, i) => [t, i]));
  // Per track and slice, its strongest claim (two pieces of evidence for the same moment of
  // the same track are one claim, not two).
  const strength = new Float64Array(tracks.length * slices);
  for (const c of claims) {
    const s = Math.max(0, Math.min(1, c.strength));
    if (!(s > 0) || !(c.outputEnd > c.outputStart)) continue;
    // A slice belongs to a claim when its middle does, so no claim gains more than half a slice at either end.
    const from = Math.max(0, Math.round(c.outputStart / sliceSeconds));
    const to = Math.min(slices, Math.round(c.outputEnd / sliceSeconds));
    const row = index.get(c.trackId)! * slices;
    for (let k = from; k < to; k++) strength[row + k] = Math.max(strength[row + k]!, s);
  }
  const sums = new Float64Array(tracks.length);
  for (let k = 0; k < slices; k++) {
    let total = 0;
    for (let t = 0; t < tracks.length; t++) total += strength[t * slices + k]!;
    if (total === 0) continue;
    const scale = 1 / Math.max(1, total);
    for (let t = 0; t < tracks.length; t++) sums[t]! += strength[t * slices + k]! * scale;
  }
  for (let t = 0; t < tracks.length; t++) if (sums[t]! > 0) out.set(tracks[t]!, sums[t]! / slices);
  return out;
}

/** Largest-remainder rounding of exact parts (summing to at most 1) to integers summing to `whole`, residual included. */
export function roundShares(exact: Map<string, number>, whole = WHOLE_PPM): LayerShares {
  let attributed = 0;
  for (const v of exact.values()) attributed += v;
  const residual = Math.max(0, 1 - attributed);
  // The residual takes the key '' so it sorts before every track id in a tie.
  const parts = [{ key: '', exact: residual * whole }, ...[...exact].map(([key, v]) => ({ key, exact: v * whole }))];
  const total = parts.reduce((s, p) => s + p.exact, 0);
  const scale = total > 0 ? whole / total : 0;
  const rows = parts.map((p) => {
    const x = p.exact * scale;
    return { key: p.key, exact: x, floor: Math.floor(x) };
  });
  let left = whole - rows.reduce((s, r) => s + r.floor, 0);
  const order = [...rows].sort((a, b) => b.exact - b.floor - (a.exact - a.floor) || b.exact - a.exact || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const r of order) {
    if (left <= 0) break;
    r.floor++;
    left--;
  }
  if (total === 0) rows[0]!.floor = whole;
  const shares = rows
    .filter((r) => r.key !== '' && r.floor > 0)
    .map((r) => ({ trackId: r.key, sharePpm: r.floor }))
    .sort((a, b) => b.sharePpm - a.sharePpm || (a.trackId < b.trackId ? -1 : 1));
  return { shares, unattributedPpm: rows[0]!.floor };
}

/** A layer's shares from its claims under a policy: exact shares, the cap, the dividend, then rounding. */
export function layerShares(durationSeconds: number, claims: Claim[], policy: SharePolicy = DEFAULT_SHARE_POLICY): LayerShares {
  const exact = exactShares(durationSeconds, claims);
  const cap = Math.max(0, Math.min(WHOLE_PPM, policy.maxTrackPpm)) / WHOLE_PPM;
  const keep = 1 - Math.max(0, Math.min(WHOLE_PPM, policy.dividendPpm)) / WHOLE_PPM;
  for (const [t, v] of exact) exact.set(t, Math.min(v, cap) * keep);
  return roundShares(exact);
}
