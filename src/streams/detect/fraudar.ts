// Dense listener × track blocks, after FRAUDAR (Hooi, Song, Beutel, Shah, Shin & Faloutsos,
// "FRAUDAR: Bounding graph fraud in the face of camouflage", KDD 2016): greedily peel the node
// (account or track) whose removal costs the block least, and keep the densest block seen.
// Density is g(S) = f(S) / |S|, where f sums the weights of the edges inside S and each edge to
// track j weighs 1 / ln(d_j + 5) (d_j: the track's listeners), so edges to popular tracks (the
// camouflage fraudsters add, the plays honest listeners make) count little. FRAUDAR proves the
// peeling finds a block within a factor 2 of the densest, whatever camouflage is added.
//
// FRAUDAR ranks; it does not say when a block is fraud. An honest artist's fans form a dense
// block too (they play its tracks, and little else plays them), so a block is reported only when
// both sides keep to it, as bought plays do and listeners do not:
// - its tracks' audience is the block: at least TRACK_SHARE of the tracks' listeners are its
//   accounts (honest tracks dense enough to be peeled together are played by people outside),
//   and that is MIN_LIFT times the block's share of all accounts (a block of nearly everyone,
//   the popular tracks and the people who play them, has nobody outside to compare with);
// - its accounts' listening is the block: for the median account at least ACCOUNT_SHARE of the
//   tracks it plays are the block's (a listener has a life outside one artist; camouflage, which
//   FRAUDAR's attacks add in equal measure to the fraud, stays below half).
// - its accounts each play several of its tracks (the median at least MIN_TRACKS_PER_ACCOUNT): one
//   or two shared tracks are what any sparse corner of honest listening shows.
// The chance of that many pairs among accounts and tracks of these degrees meeting at random
// (Chung-Lu expectation, Chernoff bound of a Poisson count) is reported beside it.

import { logBinomialPmf, logPoissonPmf } from '../../shared/index.ts';
import { uniquePairs, type Finding, type Plays } from './plays.ts';

const MIN_ACCOUNTS = 10;
const MIN_TRACKS = 5;
const TRACK_SHARE = 0.5;
const MIN_LIFT = 3;
const ACCOUNT_SHARE = 0.4;
const MIN_TRACKS_PER_ACCOUNT = 3;
const MAX_BLOCKS = 8;
const MAX_REFINE = 4;

interface Graph {
  accounts: number;
  tracks: number;
  /** Unique edges: account and track ends. */
  ea: Int32Array;
  et: Int32Array;
}

function uniqueEdges(p: Plays): Graph {
  const pairs = uniquePairs(p);
  return { accounts: p.accounts.length, tracks: p.tracks.length, ea: pairs.account, et: pairs.track };
}

/** A binary min-heap of (priority, node) with stale entries skipped on pop. */
class Heap {
  private pri: Float64Array;
  private node: Int32Array;
  private size = 0;
  constructor(capacity: number) {
    this.pri = new Float64Array(capacity);
    this.node = new Int32Array(capacity);
  }
  push(p: number, v: number) {
    if (this.size === this.pri.length) {
      const pri = new Float64Array(this.size * 2);
      pri.set(this.pri);
      const node = new Int32Array(this.size * 2);
      node.set(this.node);
      [this.pri, this.node] = [pri, node];
    }
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.pri[parent]! <= p) break;
      this.pri[i] = this.pri[parent]!;
      this.node[i] = this.node[parent]!;
      i = parent;
    }
    this.pri[i] = p;
    this.node[i] = v;
  }
  /** The node of least priority and that priority, or null. */
  pop(): [number, number] | null {
    if (this.size === 0) return null;
    const top: [number, number] = [this.node[0]!, this.pri[0]!];
    const p = this.pri[--this.size]!;
    const v = this.node[this.size]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= this.size) break;
      if (c + 1 < this.size && this.pri[c + 1]! < this.pri[c]!) c++;
      if (this.pri[c]! >= p) break;
      this.pri[i] = this.pri[c]!;
      this.node[i] = this.node[c]!;
      i = c;
    }
    this.pri[i] = p;
    this.node[i] = v;
    return top;
  }
}

/** Nodes 0..A-1 are accounts, A..A+T-1 tracks. Returns the densest block among the live nodes. */
function peel(g: Graph, live: Uint8Array, weight: Float64Array): { nodes: number[]; density: number } | null {
  const N = g.accounts + g.tracks;
  // Adjacency (CSR) of live edges.
  const deg = new Int32Array(N + 1);
  for (let e = 0; e < g.ea.length; e++) {
    if (!live[g.ea[e]!] || !live[g.accounts + g.et[e]!]) continue;
    deg[g.ea[e]! + 1]!++;
    deg[g.accounts + g.et[e]! + 1]!++;
  }
  for (let v = 0; v < N; v++) deg[v + 1]! += deg[v]!;
  const adj = new Int32Array(deg[N]!);
  const cursor = deg.slice(0, N);
  for (let e = 0; e < g.ea.length; e++) {
    if (!live[g.ea[e]!] || !live[g.accounts + g.et[e]!]) continue;
    adj[cursor[g.ea[e]!]!++] = e;
    adj[cursor[g.accounts + g.et[e]!]!++] = e;
  }
  const pri = new Float64Array(N);
  let f = 0;
  let nodes = 0;
  for (let e = 0; e < g.ea.length; e++) {
    if (!live[g.ea[e]!] || !live[g.accounts + g.et[e]!]) continue;
    pri[g.ea[e]!]! += weight[e]!;
    pri[g.accounts + g.et[e]!]! += weight[e]!;
    f += weight[e]!;
  }
  const heap = new Heap(N + 16);
  const inS = new Uint8Array(N);
  for (let v = 0; v < N; v++) {
    if (!live[v] || deg[v + 1] === deg[v]) continue;
    inS[v] = 1;
    nodes++;
    heap.push(pri[v]!, v);
  }
  if (nodes === 0) return null;
  const removed = new Int32Array(nodes);
  let steps = 0;
  let best = f / nodes;
  let bestStep = 0;
  const edgeIn = new Uint8Array(g.ea.length);
  for (let e = 0; e < g.ea.length; e++) edgeIn[e] = live[g.ea[e]!]! & live[g.accounts + g.et[e]!]!;
  while (nodes > 0) {
    const top = heap.pop();
    if (!top) break;
    const [v, p] = top;
    if (!inS[v] || p !== pri[v]) continue;
    inS[v] = 0;
    removed[steps++] = v;
    nodes--;
    f -= pri[v]!;
    for (let k = deg[v]!; k < deg[v + 1]!; k++) {
      const e = adj[k]!;
      if (!edgeIn[e]) continue;
      edgeIn[e] = 0;
      const u = v < g.accounts ? g.accounts + g.et[e]! : g.ea[e]!;
      pri[u]! -= weight[e]!;
      if (inS[u]) heap.push(pri[u]!, u);
    }
    if (nodes > 0 && f / nodes > best) {
      best = f / nodes;
      bestStep = steps;
    }
  }
  return { nodes: Array.from(removed.subarray(bestStep, steps)), density: best };
}

/**
 * Peeling finds the block's core, not its edges: at low density it drops fraud accounts that
 * made few of their pairs before the density peaks, and at high density it keeps honest
 * accounts that touch the block's tracks by chance. Membership is then decided node by node by
 * likelihood (the Bayes rule under the block model), alternating sides until nothing moves.
 * A node (account or track) with c pairs into the block's other side (n nodes) and r pairs
 * elsewhere is a member when
 *     π · Binomial(n, ρ)(c) > (1 - π) · Poisson(λ · (r + 1))(c)
 * ρ the block's pair density (a member's pairs into the block); λ the pairs into the block per
 * pair elsewhere (plus one) among the nodes outside it, so a busy honest node is expected to
 * touch the block more often than a quiet one, and camouflage, which raises every honest
 * track's pairs from the block alike, raises λ rather than admitting the tracks it lands on;
 * π the block's share of the side's active nodes. Both models see the r pairs elsewhere, so
 * they are compared given them. Only nodes still in the graph (or in the block) can join.
 */
function refine(g: Graph, inBlock: Uint8Array, open: Uint8Array, degree: Int32Array, active: { accounts: number; tracks: number }) {
  const A = g.accounts;
  const N = A + g.tracks;
  const m = g.ea.length;
  const hits = new Int32Array(N);
  for (let iter = 0; iter < 2 * MAX_REFINE; iter++) {
    const accountsSide = iter % 2 === 0;
    const [lo, hi] = accountsSide ? [0, A] : [A, N];
    hits.fill(0);
    let inside = 0;
    let nA = 0;
    let nT = 0;
    for (let v = 0; v < N; v++) {
      if (v < A) nA += inBlock[v]!;
      else nT += inBlock[v]!;
    }
    if (nA === 0 || nT === 0) return;
    for (let e = 0; e < m; e++) {
      const a = g.ea[e]!;
      const t = A + g.et[e]!;
      if (accountsSide ? inBlock[t] : inBlock[a]) hits[accountsSide ? a : t]!++;
      if (inBlock[a] && inBlock[t]) inside++;
    }
    const rho = Math.min(inside / (nA * nT), 1 - 1e-9);
    const [members, other] = accountsSide ? [nA, nT] : [nT, nA];
    let outHits = 0;
    let outRest = 0;
    for (let v = lo; v < hi; v++) {
      if (inBlock[v] || degree[v] === 0) continue;
      outHits += hits[v]!;
      outRest += degree[v]! - hits[v]! + 1;
    }
    const lambda = Math.max(outHits / Math.max(outRest, 1), 1e-9);
    const share = Math.min(members / (accountsSide ? active.accounts : active.tracks), 0.5);
    const logPrior = Math.log(share) - Math.log1p(-share);
    let moved = 0;
    for (let v = lo; v < hi; v++) {
      if (!open[v] && !inBlock[v]) continue;
      const c = hits[v]!;
      const member = c > 0 && logPrior + logBinomialPmf(other, rho, c) > logPoissonPmf(lambda * (degree[v]! - c + 1), c) ? 1 : 0;
      if (member !== inBlock[v]) moved++;
      inBlock[v] = member;
    }
    if (moved === 0 && iter > 0) return;
  }
}

/** Natural log of the Chernoff bound on P(Poisson(E) ≥ e). */
export function logPoissonTail(e: number, E: number): number {
  if (e <= E) return 0;
  const x = e / E;
  return -E * (x * Math.log(x) - x + 1);
}

export function denseBlocks(p: Plays): Finding[] {
  const g = uniqueEdges(p);
  const m = g.ea.length;
  if (m === 0) return [];
  // Every node's degree, accounts then tracks (the nodes' numbering), with a view of each side.
  const degree = new Int32Array(g.accounts + g.tracks);
  const accountDeg = degree.subarray(0, g.accounts);
  const trackDeg = degree.subarray(g.accounts);
  for (let e = 0; e < m; e++) {
    trackDeg[g.et[e]!]!++;
    accountDeg[g.ea[e]!]!++;
  }
  const weight = new Float64Array(m);
  for (let e = 0; e < m; e++) weight[e] = 1 / Math.log(trackDeg[g.et[e]!]! + 5);
  let active = 0;
  for (let a = 0; a < g.accounts; a++) if (accountDeg[a]! > 0) active++;
  let activeTracks = 0;
  for (let t = 0; t < g.tracks; t++) if (trackDeg[t]! > 0) activeTracks++;
  /** A block's members and the figures its verdict and evidence are made of. */
  const measure = (inBlock: Uint8Array) => {
    const accounts: number[] = [];
    const tracks: number[] = [];
    for (let v = 0; v < g.accounts + g.tracks; v++) {
      if (!inBlock[v]) continue;
      if (v < g.accounts) accounts.push(v);
      else tracks.push(v - g.accounts);
    }
    let edges = 0;
    const inside = new Int32Array(g.accounts);
    for (let e = 0; e < m; e++)
      if (inBlock[g.ea[e]!] && inBlock[g.accounts + g.et[e]!]) {
        edges++;
        inside[g.ea[e]!]!++;
      }
    let degA = 0;
    for (const a of accounts) degA += accountDeg[a]!;
    let degT = 0;
    for (const t of tracks) degT += trackDeg[t]!;
    const median = (xs: number[]) => xs.sort((x, y) => x - y)[xs.length >> 1] ?? 0;
    const trackShare = degT ? edges / degT : 0;
    return {
      accounts,
      tracks,
      edges,
      degA,
      degT,
      trackShare,
      accountShare: median(accounts.map((a) => inside[a]! / accountDeg[a]!)),
      perAccount: median(accounts.map((a) => inside[a]!)),
      lift: trackShare / (accounts.length / active),
    };
  };
  const verdict = (st: ReturnType<typeof measure>) =>
    st.accounts.length >= MIN_ACCOUNTS && st.tracks.length >= MIN_TRACKS && st.trackShare >= TRACK_SHARE && st.lift >= MIN_LIFT && st.accountShare >= ACCOUNT_SHARE && st.perAccount >= MIN_TRACKS_PER_ACCOUNT;
  const live = new Uint8Array(g.accounts + g.tracks).fill(1);
  const out: Finding[] = [];
  for (let round = 0; round < MAX_BLOCKS; round++) {
    const block = peel(g, live, weight);
    if (!block || block.nodes.length === 0) break;
    const inBlock = new Uint8Array(g.accounts + g.tracks);
    for (const v of block.nodes) inBlock[v] = 1;
    // The block's nodes leave the graph whatever the verdict, so the next round finds another.
    const open = live.slice();
    for (const v of block.nodes) live[v] = 0;
    if (!verdict(measure(inBlock))) continue;
    refine(g, inBlock, open, degree, { accounts: active, tracks: activeTracks });
    // What is reported is the refined block, and it must pass the same tests.
    const st = measure(inBlock);
    for (const v of [...st.accounts, ...st.tracks.map((t) => g.accounts + t)]) live[v] = 0;
    if (!verdict(st)) continue;
    const expected = (st.degA * st.degT) / m;
    const logChance = logPoissonTail(st.edges, expected);
    const plays: number[] = [];
    for (let i = 0; i < p.account.length; i++) if (inBlock[p.account[i]!] && inBlock[g.accounts + p.track[i]!]) plays.push(i);
    out.push({
      kind: 'dense_block',
      accounts: st.accounts,
      tracks: st.tracks,
      plays,
      evidence: {
        pairs: st.edges,
        expectedPairs: Math.round(expected * 10) / 10,
        density: Math.round((st.edges / (st.accounts.length * st.tracks.length)) * 10_000) / 10_000,
        log10Chance: Math.round((logChance / Math.LN10) * 10) / 10,
        tracksAudienceInBlock: Math.round(st.trackShare * 1000) / 1000,
        blockShareOfAccounts: Math.round((st.accounts.length / active) * 10_000) / 10_000,
        accountsListeningInBlockMedian: Math.round(st.accountShare * 1000) / 1000,
        blockTracksPerAccountMedian: st.perAccount,
        weightedDensity: Math.round(block.density * 1000) / 1000,
      },
    });
  }
  return out;
}
