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

import { uniquePairs, type Finding, type Plays } from './plays.ts';

const MIN_ACCOUNTS = 10;
const MIN_TRACKS = 5;
const TRACK_SHARE = 0.5;
const MIN_LIFT = 3;
const ACCOUNT_SHARE = 0.4;
const MIN_TRACKS_PER_ACCOUNT = 3;
const MAX_BLOCKS = 8;

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
 * Peeling drops an account of the block that made only a few of its pairs before the block's
 * density peaks. Accounts outside it with at least two tracks of the block, and that share of
 * their listening, join it. Tracks do not: the ones fraud accounts play beside the block are
 * honest tracks they use as camouflage.
 */
function grow(g: Graph, inBlock: Uint8Array, live: Uint8Array, accountDeg: Int32Array) {
  const toBlock = new Int32Array(g.accounts + g.tracks);
  for (let e = 0; e < g.ea.length; e++) {
    const a = g.ea[e]!;
    const t = g.accounts + g.et[e]!;
    if (inBlock[t] && !inBlock[a]) toBlock[a]!++;
  }
  for (let a = 0; a < g.accounts; a++) if (live[a] && !inBlock[a] && toBlock[a]! >= 2 && toBlock[a]! >= ACCOUNT_SHARE * accountDeg[a]!) inBlock[a] = 1;
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
  const trackDeg = new Int32Array(g.tracks);
  const accountDeg = new Int32Array(g.accounts);
  for (let e = 0; e < m; e++) {
    trackDeg[g.et[e]!]!++;
    accountDeg[g.ea[e]!]!++;
  }
  const weight = new Float64Array(m);
  for (let e = 0; e < m; e++) weight[e] = 1 / Math.log(trackDeg[g.et[e]!]! + 5);
  let active = 0;
  for (let a = 0; a < g.accounts; a++) if (accountDeg[a]! > 0) active++;
  const live = new Uint8Array(g.accounts + g.tracks).fill(1);
  const out: Finding[] = [];
  for (let round = 0; round < MAX_BLOCKS; round++) {
    const block = peel(g, live, weight);
    if (!block || block.nodes.length === 0) break;
    const inBlock = new Uint8Array(g.accounts + g.tracks);
    for (const v of block.nodes) inBlock[v] = 1;
    const members = () => {
      const accounts: number[] = [];
      const tracks: number[] = [];
      for (let v = 0; v < g.accounts + g.tracks; v++) {
        if (!inBlock[v]) continue;
        if (v < g.accounts) accounts.push(v);
        else tracks.push(v - g.accounts);
      }
      return { accounts, tracks };
    };
    let { accounts, tracks } = members();
    // The block's nodes leave the graph whatever the verdict, so the next round finds another.
    for (const v of block.nodes) live[v] = 0;
    if (accounts.length < MIN_ACCOUNTS || tracks.length < MIN_TRACKS) continue;
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
    const trackShare = edges / degT;
    const shares = accounts.map((a) => inside[a]! / accountDeg[a]!).sort((x, y) => x - y);
    const accountShare = shares[shares.length >> 1]!;
    const perAccount = accounts.map((a) => inside[a]!).sort((x, y) => x - y)[accounts.length >> 1]!;
    const lift = trackShare / (accounts.length / active);
    if (trackShare < TRACK_SHARE || lift < MIN_LIFT || accountShare < ACCOUNT_SHARE || perAccount < MIN_TRACKS_PER_ACCOUNT) continue;
    grow(g, inBlock, live, accountDeg);
    ({ accounts, tracks } = members());
    for (const v of [...accounts, ...tracks.map((t) => g.accounts + t)]) live[v] = 0;
    const expected = (degA * degT) / m;
    const logChance = logPoissonTail(edges, expected);
    const plays: number[] = [];
    for (let i = 0; i < p.account.length; i++) if (inBlock[p.account[i]!] && inBlock[g.accounts + p.track[i]!]) plays.push(i);
    out.push({
      kind: 'dense_block',
      accounts,
      tracks,
      plays,
      evidence: {
        pairs: edges,
        expectedPairs: Math.round(expected * 10) / 10,
        density: Math.round((edges / (accounts.length * tracks.length)) * 10_000) / 10_000,
        log10Chance: Math.round((logChance / Math.LN10) * 10) / 10,
        tracksAudienceInBlock: Math.round(trackShare * 1000) / 1000,
        blockShareOfAccounts: Math.round((accounts.length / active) * 10_000) / 10_000,
        accountsListeningInBlockMedian: Math.round(accountShare * 1000) / 1000,
        blockTracksPerAccountMedian: perAccount,
        weightedDensity: Math.round(block.density * 1000) / 1000,
      },
    });
  }
  return out;
}
