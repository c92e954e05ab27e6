// The composition shortlist: which catalog works are worth aligning with an output at all.
// Aligning (align.ts) costs tens of milliseconds per work; a catalog of 20,000 works needs a
// cheaper first pass.
//
// Each catalog track is cut into patches of PATCH_FRAMES chroma frames (16 s) every
// CATALOG_HOP frames, and each patch is described by the magnitude of its two-dimensional
// Fourier transform over pitch class and time (Bertin-Mahieux & Ellis, "Large-scale cover song
// recognition using the 2D Fourier transform magnitude", ISMIR 2012). A circular shift of pitch
// classes (a change of key) and a shift in time change only the transform's phase, so the
// magnitude is the same for the same music in any key at any offset. A tempo change stretches
// the time axis and moves energy between neighbouring time frequencies, so time frequencies are
// pooled in bands that widen with frequency (±15% tempo stays mostly within one band). The
// magnitude is compressed (square root), centred and scaled to unit length, and kept as one
// signed byte per dimension: 56 bytes per patch, 1.3 kB for a 3-minute track.
//
// An output is cut the same way, every QUERY_HOP frames. Each output patch scores every
// catalog track by its best-matching patch (cosine); scores are standardised per output patch
// over the whole catalog, and a track's score is the mean of its best MATCHED_PATCHES standard
// scores, so a track must resemble more than one moment of the output to rank. The shortlist is
// the best-scoring tracks; which of them the output really follows is for the alignment to say.

import type { Chroma } from './chroma.ts';

export const PATCH_FRAMES = 32;
export const CATALOG_HOP = 16;
export const QUERY_HOP = 16;
const PITCH_FREQS = 7;
/** Time-frequency bands (inclusive bin ranges of a 32-point transform). */
const BANDS: Array<[number, number]> = [[0, 0], [1, 1], [2, 2], [3, 3], [4, 5], [6, 8], [9, 12], [13, 16]];
export const DIMS = PITCH_FREQS * BANDS.length;
const MATCHED_PATCHES = 3;

const TIME_BINS = (PATCH_FRAMES >> 1) + 1;
const cosT = new Float64Array(TIME_BINS * PATCH_FRAMES);
const sinT = new Float64Array(TIME_BINS * PATCH_FRAMES);
for (let v = 0; v < TIME_BINS; v++)
  for (let t = 0; t < PATCH_FRAMES; t++) {
    cosT[v * PATCH_FRAMES + t] = Math.cos((2 * Math.PI * v * t) / PATCH_FRAMES);
    sinT[v * PATCH_FRAMES + t] = Math.sin((2 * Math.PI * v * t) / PATCH_FRAMES);
  }
const cosP = new Float64Array(PITCH_FREQS * 12);
const sinP = new Float64Array(PITCH_FREQS * 12);
for (let u = 0; u < PITCH_FREQS; u++)
  for (let k = 0; k < 12; k++) {
    cosP[u * 12 + k] = Math.cos((2 * Math.PI * u * k) / 12);
    sinP[u * 12 + k] = Math.sin((2 * Math.PI * u * k) / 12);
  }

/** Patch starts of a track of `frames` frames: every `hop`, the last flush with the end. */
export function patchStarts(frames: number, hop: number): number[] {
  if (frames < PATCH_FRAMES) return frames >= PATCH_FRAMES / 2 ? [0] : [];
  const out: number[] = [];
  for (let s = 0; s + PATCH_FRAMES <= frames; s += hop) out.push(s);
  if (out[out.length - 1]! + PATCH_FRAMES < frames) out.push(frames - PATCH_FRAMES);
  return out;
}

/** One descriptor (DIMS signed bytes) per patch, patches every `hop` frames. */
export function describePatches(c: Chroma, hop: number): Int8Array {
  const starts = patchStarts(c.frames, hop);
  const out = new Int8Array(starts.length * DIMS);
  const re = new Float64Array(12 * TIME_BINS);
  const im = new Float64Array(12 * TIME_BINS);
  const d = new Float64Array(DIMS);
  for (const [p, s] of starts.entries()) {
    // Over time for each pitch class (frames past the end of a short track count as silence)…
    re.fill(0);
    im.fill(0);
    for (let t = 0; t < PATCH_FRAMES && s + t < c.frames; t++) {
      const row = (s + t) * 12;
      for (let k = 0; k < 12; k++) {
        const x = c.data[row + k]!;
        if (x === 0) continue;
        for (let v = 0; v < TIME_BINS; v++) {
          re[k * TIME_BINS + v]! += x * cosT[v * PATCH_FRAMES + t]!;
          im[k * TIME_BINS + v]! -= x * sinT[v * PATCH_FRAMES + t]!;
        }
      }
    }
    // …then over pitch class, pooled in bands.
    d.fill(0);
    for (let u = 0; u < PITCH_FREQS; u++)
      for (const [b, [lo, hi]] of BANDS.entries()) {
        let sum = 0;
        for (let v = lo; v <= hi; v++) {
          let fr = 0;
          let fi = 0;
          for (let k = 0; k < 12; k++) {
            const ar = re[k * TIME_BINS + v]!;
            const ai = im[k * TIME_BINS + v]!;
            const c0 = cosP[u * 12 + k]!;
            const s0 = sinP[u * 12 + k]!;
            fr += ar * c0 + ai * s0;
            fi += ai * c0 - ar * s0;
          }
          sum += Math.hypot(fr, fi);
        }
        d[u * BANDS.length + b] = Math.sqrt(sum / (hi - lo + 1));
      }
    let mean = 0;
    for (let i = 0; i < DIMS; i++) mean += d[i]!;
    mean /= DIMS;
    let norm = 0;
    for (let i = 0; i < DIMS; i++) norm += (d[i]! - mean) ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < DIMS; i++) out[p * DIMS + i] = norm > 0 ? Math.round(((d[i]! - mean) / norm) * 127) : 0;
  }
  return out;
}

/** Catalog patches in one flat array, each tagged with its track's position in `trackIds`. */
export interface ShortlistData {
  descriptors: Int8Array;
  owners: Int32Array;
  trackIds: string[];
}

/** Grows a ShortlistData track by track. Arrays sit in shared memory so a worker thread reads them without a copy. */
export class ShortlistBuilder {
  private descriptors = new Int8Array(new SharedArrayBuffer(DIMS * 1024));
  private owners = new Int32Array(new SharedArrayBuffer(4 * 1024));
  private patches = 0;
  private readonly trackIds: string[] = [];

  add(trackId: string, descriptors: Int8Array): void {
    const n = descriptors.length / DIMS;
    if (n === 0) return;
    if (this.patches + n > this.owners.length) {
      const size = Math.max(this.owners.length * 2, this.patches + n);
      const d = new Int8Array(new SharedArrayBuffer(size * DIMS));
      d.set(this.descriptors.subarray(0, this.patches * DIMS));
      const o = new Int32Array(new SharedArrayBuffer(size * 4));
      o.set(this.owners.subarray(0, this.patches));
      [this.descriptors, this.owners] = [d, o];
    }
    this.descriptors.set(descriptors, this.patches * DIMS);
    this.owners.fill(this.trackIds.length, this.patches, this.patches + n);
    this.patches += n;
    this.trackIds.push(trackId);
  }

  get tracks(): number {
    return this.trackIds.length;
  }

  data(): ShortlistData {
    return { descriptors: this.descriptors.subarray(0, this.patches * DIMS), owners: this.owners.subarray(0, this.patches), trackIds: [...this.trackIds] };
  }
}

/** The `k` catalog tracks an output's patches resemble most, best first. */
export function shortlist(data: ShortlistData, query: Int8Array, k: number): Array<{ trackId: string; score: number }> {
  const tracks = data.trackIds.length;
  const queries = query.length / DIMS;
  if (tracks === 0 || queries === 0) return [];
  const z = new Float32Array(queries * tracks);
  const { descriptors, owners } = data;
  const patches = owners.length;
  // Four output patches at a time share each catalog patch's load.
  const best = new Int32Array(4 * tracks);
  for (let q0 = 0; q0 < queries; q0 += 4) {
    best.fill(-(1 << 30));
    const qa = q0 * DIMS;
    const qb = Math.min(q0 + 1, queries - 1) * DIMS;
    const qc = Math.min(q0 + 2, queries - 1) * DIMS;
    const qd = Math.min(q0 + 3, queries - 1) * DIMS;
    for (let p = 0; p < patches; p++) {
      const po = p * DIMS;
      let a = 0;
      let b = 0;
      let c = 0;
      let d = 0;
      for (let i = 0; i < DIMS; i++) {
        const x = descriptors[po + i]!;
        a += query[qa + i]! * x;
        b += query[qb + i]! * x;
        c += query[qc + i]! * x;
        d += query[qd + i]! * x;
      }
      const t = owners[p]! * 4;
      if (a > best[t]!) best[t] = a;
      if (b > best[t + 1]!) best[t + 1] = b;
      if (c > best[t + 2]!) best[t + 2] = c;
      if (d > best[t + 3]!) best[t + 3] = d;
    }
    for (let j = 0; j < 4 && q0 + j < queries; j++) {
      let mean = 0;
      for (let t = 0; t < tracks; t++) mean += best[t * 4 + j]!;
      mean /= tracks;
      let variance = 0;
      for (let t = 0; t < tracks; t++) variance += (best[t * 4 + j]! - mean) ** 2;
      const sd = Math.sqrt(variance / tracks) || 1;
      for (let t = 0; t < tracks; t++) z[(q0 + j) * tracks + t] = (best[t * 4 + j]! - mean) / sd;
    }
  }
  const used = Math.min(MATCHED_PATCHES, queries);
  const top = new Float32Array(used);
  const scores = new Float32Array(tracks);
  for (let t = 0; t < tracks; t++) {
    top.fill(-Infinity);
    for (let q = 0; q < queries; q++) {
      const v = z[q * tracks + t]!;
      if (v <= top[used - 1]!) continue;
      let i = used - 1;
      while (i > 0 && top[i - 1]! < v) {
        top[i] = top[i - 1]!;
        i--;
      }
      top[i] = v;
    }
    let s = 0;
    for (let i = 0; i < used; i++) s += top[i]!;
    scores[t] = s / used;
  }
  const order = Array.from({ length: tracks }, (_, t) => t).sort((a, b) => scores[b]! - scores[a]! || (data.trackIds[a]! < data.trackIds[b]! ? -1 : 1));
  return order.slice(0, k).map((t) => ({ trackId: data.trackIds[t]!, score: scores[t]! }));
}
