// How each source of money is allocated, as pure functions: every one returns parts that sum
// exactly to what it was given (allocate.ts), never a negative part, in a deterministic order.

import { allocate, allocateInOrder } from './allocate.ts';

export interface SplitShare {
  holderId: string;
  /** Parts per million; a track's shares of one kind sum to 1,000,000. */
  sharePpm: number;
}

export interface TrackSplits {
  master: SplitShare[];
  publishing: SplitShare[];
}

/** A part of the money for a track and a layer of rights, before splits. */
export interface TrackPart {
  trackId: string;
  kind: 'master' | 'publishing';
  amount: number;
  /** Money that would be this track's but is held back (artificial streams): it goes to the withheld account. */
  withheld: number;
  /** Paid by the splits that stood at this instant (ISO), not today's: a licence's tracks, at their manifest's issue. */
  splitsAt?: string;
}

/** Commission first: a share in ppm or a fixed amount, never more than the amount. */
export function takeCommission(amount: number, c: { ppm?: number; fixed?: number }): { commission: number; rest: number } {
  const byShare = c.ppm ? allocate(amount, [{ key: 'c', weight: c.ppm }, { key: 'r', weight: 1_000_000 - c.ppm }])[0]!.amount : 0;
  const commission = Math.min(amount, byShare + (c.fixed ?? 0));
  return { commission, rest: amount - commission };
}

/** Splits a track's amount over its holders; with no splits of that kind it has no holder (suspense). */
export function splitTrack(amount: number, splits: SplitShare[]): Array<{ holderId: string | null; amount: number }> {
  if (splits.length === 0) return [{ holderId: null, amount }];
  return allocate(amount, splits.map((s) => ({ key: s.holderId, weight: s.sharePpm }))).map((p) => ({ holderId: p.key, amount: p.amount }));
}

/** Master and publishing parts of one track's amount, by the publishing share in ppm. */
function layers(trackId: string, amount: number, withheld: number, publishingPpm: number): TrackPart[] {
  const [pub, master] = allocate(amount, [{ key: 'publishing', weight: publishingPpm }, { key: 'master', weight: 1_000_000 - publishingPpm }]);
  const [pubHeld, masterHeld] = allocate(withheld, [{ key: 'publishing', weight: publishingPpm }, { key: 'master', weight: 1_000_000 - publishingPpm }]);
  return [
    { trackId, kind: 'master' as const, amount: master!.amount - masterHeld!.amount, withheld: masterHeld!.amount },
    { trackId, kind: 'publishing' as const, amount: pub!.amount - pubHeld!.amount, withheld: pubHeld!.amount },
  ].filter((p) => p.amount > 0 || p.withheld > 0);
}

export interface TrackStreams {
  trackId: string;
  valid: number;
  flagged: number;
}

/**
 * Pro rata: the amount over tracks by their counted streams. A track's share of its flagged
 * streams is withheld: shown, not paid, released if a review clears them.
 */
export function streamsProRata(amount: number, tracks: TrackStreams[], publishingPpm: number): TrackPart[] {
  const sorted = [...tracks].sort((a, b) => (a.trackId < b.trackId ? -1 : 1));
  // No counted streams: nothing to share over (the caller books the money to suspense).
  if (sorted.every((t) => t.valid + t.flagged === 0)) return [];
  const perTrack = allocate(amount, sorted.map((t) => ({ key: t.trackId, weight: t.valid + t.flagged })));
  return perTrack.flatMap((p, i) => {
    const t = sorted[i]!;
    const held = t.flagged === 0 ? 0 : allocate(p.amount, [{ key: 'v', weight: t.valid }, { key: 'f', weight: t.flagged }])[1]!.amount;
    return layers(t.trackId, p.amount, held, publishingPpm);
  });
}

export interface ListenerPlays {
  listener: string;
  plays: TrackStreams[];
}

/**
 * User-centric: each listener's equal part of the amount over what that listener played (a
 * listener whose plays are all flagged still has their part withheld, not given to others).
 */
export function streamsUserCentric(amount: number, listeners: ListenerPlays[], publishingPpm: number): TrackPart[] {
  const sorted = [...listeners].filter((l) => l.plays.some((p) => p.valid + p.flagged > 0)).sort((a, b) => (a.listener < b.listener ? -1 : 1));
  if (sorted.length === 0) return [];
  // Listeners are in key order already (and distinct), which is allocate's tie order.
  const perListener = allocateInOrder(amount, sorted.map(() => 1));
  const byTrack = new Map<string, { amount: number; withheld: number }>();
  for (const [i, l] of sorted.entries()) {
    const plays = [...l.plays].sort((a, b) => (a.trackId < b.trackId ? -1 : 1));
    // In the order of the keys "f:<track>" then "v:<track>": flagged parts first, each by track.
    const parts = allocateInOrder(perListener[i]!, [...plays.map((p) => p.flagged), ...plays.map((p) => p.valid)]);
    for (const [j, p] of plays.entries()) {
      const withheld = parts[j]!;
      const amount = withheld + parts[plays.length + j]!;
      if (amount === 0) continue;
      const t = byTrack.get(p.trackId) ?? { amount: 0, withheld: 0 };
      t.amount += amount;
      t.withheld += withheld;
      byTrack.set(p.trackId, t);
    }
  }
  return [...byTrack.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).flatMap(([trackId, t]) => layers(trackId, t.amount, t.withheld, publishingPpm));
}

export interface ManifestTrack {
  trackId: string;
  durationMs: number | null;
  /** When the first of the licence's manifests that holds the track was issued. */
  issuedAt?: string;
}

/**
 * A training licence's fee over its manifests' tracks, equally or by duration (a licence term),
 * then master and publishing, each paid by the splits that stood when the track's manifest was issued.
 */
export function trainingFee(amount: number, tracks: ManifestTrack[], by: 'equal' | 'duration', publishingPpm: number): TrackPart[] {
  const sorted = [...tracks].sort((a, b) => (a.trackId < b.trackId ? -1 : 1));
  if (sorted.length === 0) return [];
  const weight = (t: ManifestTrack) => (by === 'duration' ? Math.max(1, Math.round((t.durationMs ?? 0) / 1000)) : 1);
  return allocate(amount, sorted.map((t) => ({ key: t.trackId, weight: weight(t) }))).flatMap((p, i) => {
    const at = sorted[i]!.issuedAt;
    return layers(p.key, p.amount, 0, publishingPpm).map((part) => (at ? { ...part, splitsAt: at } : part));
  });
}

export interface OutputAttribution {
  master: { shares: Array<{ trackId: string; sharePpm: number }>; unattributedPpm: number };
  composition: { shares: Array<{ trackId: string; sharePpm: number }>; unattributedPpm: number };
}

/**
 * Revenue of a generated output: master and composition layers by the licence's ratio, each over
 * its attributed shares; each layer's unattributed residual over the run's manifest equally (the
 * training-data dividend). Master goes to master splits, composition to publishing splits.
 */
export function outputRevenue(amount: number, attribution: OutputAttribution, masterPpm: number, manifest: string[]): TrackPart[] {
  const [masterPool, compositionPool] = allocate(amount, [{ key: 'master', weight: masterPpm }, { key: 'composition', weight: 1_000_000 - masterPpm }]);
  const parts = new Map<string, TrackPart>();
  const add = (trackId: string, kind: 'master' | 'publishing', a: number) => {
    if (a === 0) return;
    const k = `${kind}:${trackId}`;
    const p = parts.get(k) ?? { trackId, kind, amount: 0, withheld: 0 };
    p.amount += a;
    parts.set(k, p);
  };
  const dividendOver = [...new Set(manifest)].sort();
  for (const [pool, layer, kind] of [
    [masterPool!.amount, attribution.master, 'master'],
    [compositionPool!.amount, attribution.composition, 'publishing'],
  ] as const) {
    const weights = [...layer.shares.map((s) => ({ key: s.trackId, weight: s.sharePpm })), { key: '', weight: layer.unattributedPpm }];
    for (const p of allocate(pool, weights)) {
      if (p.key !== '') add(p.key, kind, p.amount);
      else if (dividendOver.length > 0) for (const d of allocate(p.amount, dividendOver.map((t) => ({ key: t, weight: 1 })))) add(d.key, kind, d.amount);
      else add('', kind, p.amount);
    }
  }
  return [...parts.values()].sort((a, b) => (a.kind + a.trackId < b.kind + b.trackId ? -1 : 1));
}
