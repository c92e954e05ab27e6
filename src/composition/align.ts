// Local alignment of two chroma sequences in any key and tempo, after Serrà, Serra & Andrzejak,
// "Cross recurrence quantification for cover song identification" (New J. Phys. 11, 2009):
//   key:   the optimal transposition index (Serrà, Gómez & Herrera 2008), the circular shift
//          that best matches the two recordings' global chroma profiles; the best few are tried,
//          as one is wrong often enough between arrangements;
//   frames are compared as short sequences: the similarity of frames i and j is the mean over
//          EMBED frames centred on them along the diagonal (the time-delay embedding of Serrà
//          et al. §2.2, for unit frames), so one shared chord agrees less than a shared phrase;
//   frames agree when each is among the other's κ nearest (mutual nearest neighbours), which
//          adapts to how alike a pair's frames are overall, so a piece that sits on one chord
//          does not agree with everything;
//   Qmax:  the longest run of agreeing frames along a path of steps (1,1), (1,2), (2,1) (tempo
//          ratios from 1/2 to 2), with gap penalties for a path that leaves agreement (5 on
//          leaving, 0.5 per frame after); its start and end give the time ranges on both sides.

import type { Chroma } from './chroma.ts';

export const KEYS_TRIED = 3;
/** Frames compared as one sequence (2.5 s at 0.5-s frames). */
const EMBED = 5;
/** Nearest neighbours per frame, as a share of the other sequence's frames. */
const KAPPA = 0.1;
const GAP_OPEN = 5;
const GAP_EXTEND = 0.5;

export interface Alignment {
  /** Qmax: agreeing frames along the best local path, less its gap penalties. */
  score: number;
  /** Semitones the query lies above the reference. */
  keyShift: number;
  queryStart: number;
  queryEnd: number;
  refStart: number;
  refEnd: number;
  /** Reference time per query time along the path. */
  tempoRatio: number;
  /** Agreeing frames on the path. */
  agreeing: number;
}

function profile(c: Chroma): Float64Array {
  const p = new Float64Array(12);
  for (let f = 0; f < c.frames; f++) for (let k = 0; k < 12; k++) p[k]! += c.data[f * 12 + k]!;
  return p;
}

/** Shifts s (query class k matches reference class k - s) best first by profile agreement. */
export function keyShifts(query: Chroma, ref: Chroma, tried = KEYS_TRIED): number[] {
  const a = profile(query);
  const b = profile(ref);
  const scores = Array.from({ length: 12 }, (_, s) => {
    let v = 0;
    for (let k = 0; k < 12; k++) v += a[k]! * b[(k - s + 12) % 12]!;
    return { s, v };
  });
  return scores
    .sort((x, y) => y.v - x.v || x.s - y.s)
    .slice(0, tried)
    .map((x) => x.s);
}

/** Cosine similarity of every query frame with every reference frame under a key shift, rows = query. */
function similarity(query: Chroma, ref: Chroma, shift: number): Float32Array {
  const n = query.frames;
  const m = ref.frames;
  const out = new Float32Array(n * m);
  const r = new Float32Array(m * 12);
  for (let j = 0; j < m; j++) for (let k = 0; k < 12; k++) r[j * 12 + k] = ref.data[j * 12 + ((k - shift + 12) % 12)]!;
  for (let i = 0; i < n; i++) {
    const q = i * 12;
    for (let j = 0; j < m; j++) {
      let v = 0;
      const p = j * 12;
      for (let k = 0; k < 12; k++) v += query.data[q + k]! * r[p + k]!;
      out[i * m + j] = v;
    }
  }
  return embed(out, n, m);
}

/** Mean of each cell's EMBED diagonal neighbours (fewer at the edges). */
function embed(sim: Float32Array, n: number, m: number): Float32Array {
  const out = new Float32Array(n * m);
  const half = EMBED >> 1;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let v = 0;
      let count = 0;
      for (let l = -half; l <= half; l++) {
        const a = i + l;
        const b = j + l;
        if (a < 0 || b < 0 || a >= n || b >= m) continue;
        v += sim[a * m + b]!;
        count++;
      }
      out[i * m + j] = v / count;
    }
  }
  return out;
}

/** The κ-th largest value of each row (rows = true) or column, as a threshold. */
function kthLargest(sim: Float32Array, n: number, m: number, rows: boolean, kappa: number): Float32Array {
  const count = rows ? n : m;
  const len = rows ? m : n;
  const k = Math.max(1, Math.min(len, Math.round(kappa)));
  const out = new Float32Array(count);
  const buf = new Float32Array(len);
  for (let a = 0; a < count; a++) {
    for (let b = 0; b < len; b++) buf[b] = rows ? sim[a * m + b]! : sim[b * m + a]!;
    out[a] = select(buf, len - k);
  }
  return out;
}

/** The value that would sit at `rank` if `xs` were sorted ascending (Hoare's selection, expected linear time); reorders `xs`. */
function select(xs: Float32Array, rank: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  while (lo < hi) {
    const pivot = xs[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (xs[i]! < pivot) i++;
      while (xs[j]! > pivot) j--;
      if (i <= j) {
        const t = xs[i]!;
        xs[i] = xs[j]!;
        xs[j] = t;
        i++;
        j--;
      }
    }
    if (rank <= j) hi = j;
    else if (rank >= i) lo = i;
    else return xs[rank]!;
  }
  return xs[rank]!;
}

/** Binary cross-recurrence: mutual κ nearest neighbours among frames that carry pitch at all. */
function recurrence(sim: Float32Array, n: number, m: number): Uint8Array {
  const rowT = kthLargest(sim, n, m, true, KAPPA * m);
  const colT = kthLargest(sim, n, m, false, KAPPA * n);
  const out = new Uint8Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
    const v = sim[i * m + j]!;
    out[i * m + j] = v > 0 && v >= rowT[i]! && v >= colT[j]! ? 1 : 0;
  }
  return out;
}

interface Qmax {
  score: number;
  endI: number;
  endJ: number;
  startI: number;
  startJ: number;
  agreeing: number;
}

function qmax(rec: Uint8Array, n: number, m: number): Qmax {
  const q = new Float32Array(n * m);
  // Where each cell's path started and how many agreeing frames it holds, to report the ranges.
  const start = new Int32Array(n * m);
  const agree = new Int32Array(n * m);
  let best: Qmax = { score: 0, endI: 0, endJ: 0, startI: 0, startJ: 0, agreeing: 0 };
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const at = i * m + j;
      let value = 0;
      let from = -1;
      for (let step = 0; step < 3; step++) {
        const s = step === 0 ? (i >= 1 && j >= 1 ? at - m - 1 : -1) : step === 1 ? (i >= 2 && j >= 1 ? at - 2 * m - 1 : -1) : i >= 1 && j >= 2 ? at - m - 2 : -1;
        if (s < 0) continue;
        const v = rec[at] ? q[s]! : q[s]! - (rec[s] ? GAP_OPEN : GAP_EXTEND);
        if (v > value) {
          value = v;
          from = s;
        }
      }
      if (rec[at]) value += 1;
      q[at] = value;
      if (value <= 0) continue;
      start[at] = from >= 0 ? start[from]! : at;
      agree[at] = (from >= 0 ? agree[from]! : 0) + rec[at]!;
      if (value > best.score) {
        const s = start[at]!;
        best = { score: value, endI: i, endJ: j, startI: Math.floor(s / m), startJ: s % m, agreeing: agree[at]! };
      }
    }
  }
  return best;
}

/** The best local alignment of the query with the reference over the key shifts tried. */
export function alignChroma(query: Chroma, ref: Chroma, shifts = keyShifts(query, ref)): Alignment | null {
  const n = query.frames;
  const m = ref.frames;
  if (n < 4 || m < 4) return null;
  let best: Alignment | null = null;
  for (const shift of shifts) {
    const rec = recurrence(similarity(query, ref, shift), n, m);
    const b = qmax(rec, n, m);
    if (b.score <= 0 || (best && b.score <= best.score)) continue;
    const dq = b.endI - b.startI;
    const dr = b.endJ - b.startJ;
    best = {
      score: b.score,
      keyShift: ((shift + 5) % 12 + 12) % 12 - 5,
      queryStart: b.startI * query.frameSeconds,
      queryEnd: (b.endI + 1) * query.frameSeconds,
      refStart: b.startJ * ref.frameSeconds,
      refEnd: (b.endJ + 1) * ref.frameSeconds,
      tempoRatio: dq > 0 ? (dr * ref.frameSeconds) / (dq * query.frameSeconds) : 1,
      agreeing: b.agreeing,
    };
  }
  return best;
}
