// Lockstep: accounts that play the same tracks within the same minutes, again and again (after
// CopyCatch, Beutel, Xu, Guruswami, Palow & Faloutsos, WWW 2013, which finds groups of accounts
// acting on the same items in the same time windows). Two honest listeners start the same track
// within a few minutes of each other now and then; doing so on MIN_SHARED_TRACKS different tracks
// is what scripts driving many accounts from one playlist do. Pairs that do are joined into
// groups; a group of MIN_GROUP accounts or more is a finding.

import { byTrack, type Finding, type Plays } from './plays.ts';

/** Seconds within which two starts of one track count as together. */
const WINDOW_SECONDS = 120;
const MIN_SHARED_TRACKS = 5;
const MIN_GROUP = 5;
/**
 * Only bursts are looked at: windows holding at least MIN_BURST starts and BURST_FACTOR times the
 * starts the track gets in a window on average. A group starting a track together is a burst; a
 * hit played all day by thousands is not, and pairing its listeners would cost millions of pairs
 * and say nothing.
 */
const MIN_BURST = 5;
const BURST_FACTOR = 4;
/** A window crowded beyond this (a premiere, a viral moment) is not evidence of anything. */
const MAX_CROWD = 2_000;

export function lockstepGroups(p: Plays): Finding[] {
  const { order, start } = byTrack(p);
  const A = p.accounts.length;
  // Per pair of accounts, the tracks they started together (counted once per track).
  const shared = new Map<number, number>();
  const seenPairTrack = new Set<number>();
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < p.at.length; i++) {
    first = Math.min(first, p.at[i]!);
    last = Math.max(last, p.at[i]!);
  }
  const windows = Math.max(1, (last - first) / WINDOW_SECONDS);
  for (let t = 0; t < p.tracks.length; t++) {
    seenPairTrack.clear();
    const from = start[t]!;
    const to = start[t + 1]!;
    const burst = Math.max(MIN_BURST, (BURST_FACTOR * (to - from)) / windows);
    let lo = from;
    for (let k = from; k < to; k++) {
      const i = order[k]!;
      while (p.at[order[lo]!]! < p.at[i]! - WINDOW_SECONDS) lo++;
      // The window ending at this start, and the one starting at it: a burst seen from either side.
      let hi = k;
      while (hi + 1 < to && p.at[order[hi + 1]!]! <= p.at[i]! + WINDOW_SECONDS) hi++;
      if (Math.max(k - lo, hi - k) + 1 < burst || k - lo > MAX_CROWD) continue;
      const a = p.account[i]!;
      for (let j = lo; j < k; j++) {
        const b = p.account[order[j]!]!;
        if (b === a) continue;
        const key = a < b ? a * A + b : b * A + a;
        if (seenPairTrack.has(key)) continue;
        seenPairTrack.add(key);
        shared.set(key, (shared.get(key) ?? 0) + 1);
      }
    }
  }
  // Groups: accounts joined by pairs that shared enough tracks (union-find).
  const parent = new Int32Array(A).map((_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  const linked = new Uint8Array(A);
  for (const [key, n] of shared) {
    if (n < MIN_SHARED_TRACKS) continue;
    const a = Math.floor(key / A);
    const b = key - a * A;
    linked[a] = linked[b] = 1;
    parent[find(a)] = find(b);
  }
  const groups = new Map<number, number[]>();
  for (let a = 0; a < A; a++) if (linked[a]) groups.set(find(a), [...(groups.get(find(a)) ?? []), a]);
  const out: Finding[] = [];
  for (const members of groups.values()) {
    if (members.length < MIN_GROUP) continue;
    const inGroup = new Set(members);
    // The plays flagged: each member's plays that started within the window of another member's play of the same track.
    const plays: number[] = [];
    const tracks = new Set<number>();
    let spreadSum = 0;
    let together = 0;
    for (let t = 0; t < p.tracks.length; t++) {
      const ks: number[] = [];
      for (let k = start[t]!; k < start[t + 1]!; k++) if (inGroup.has(p.account[order[k]!]!)) ks.push(order[k]!);
      for (let x = 0; x < ks.length; x++) {
        const i = ks[x]!;
        const prev = x > 0 ? p.at[i]! - p.at[ks[x - 1]!]! : Infinity;
        const next = x + 1 < ks.length ? p.at[ks[x + 1]!]! - p.at[i]! : Infinity;
        const gap = Math.min(prev, next);
        if (gap > WINDOW_SECONDS) continue;
        plays.push(i);
        tracks.add(t);
        spreadSum += gap;
        together++;
      }
    }
    out.push({
      kind: 'lockstep',
      accounts: members,
      tracks: [...tracks],
      plays,
      evidence: { windowSeconds: WINDOW_SECONDS, playsTogether: together, medianGapSeconds: together ? Math.round(spreadSum / together) : 0, minSharedTracksPerPair: MIN_SHARED_TRACKS },
    });
  }
  return out;
}
