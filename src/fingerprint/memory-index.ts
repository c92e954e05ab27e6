// An index held in memory: postings grouped by key in sorted arrays. The on-disk segments load
// into this same structure; tests and benchmarks also use it directly.

import type { Hashes } from './hashes.ts';
import type { FingerprintIndex } from './index-store.ts';
import { postingFields, type LookupResult, type PostingList } from './postings.ts';

export interface SortedPostings {
  /** Distinct keys, ascending, and where each key's postings start (length keys + 1). */
  keys: Uint32Array;
  starts: Uint32Array;
  postings: PostingList;
}

export function emptyPostings(n: number): PostingList {
  return { count: n, track: new Uint32Array(n), t1: new Uint32Array(n), c1: new Uint16Array(n), span: new Uint16Array(n) };
}

/** Sorts the hashes of several tracks into key order (counting sort on the key's high bits, then by key). */
export function buildSorted(entries: Array<{ ref: number; hashes: Hashes }>): SortedPostings {
  const total = entries.reduce((s, e) => s + e.hashes.count, 0);
  const allKeys = new Uint32Array(total);
  const order = new Uint32Array(total);
  const src = emptyPostings(total);
  let n = 0;
  for (const { ref, hashes } of entries) {
    for (let i = 0; i < hashes.count; i++) {
      allKeys[n] = hashes.keys[i]!;
      src.track[n] = ref;
      const f = postingFields(hashes.t1[i]!, hashes.c1[i]!, hashes.span[i]!);
      src.t1[n] = f.t1;
      src.c1[n] = f.c1;
      src.span[n] = f.span;
      order[n] = n;
      n++;
    }
  }
  order.sort((a, b) => allKeys[a]! - allKeys[b]! || a - b);
  const postings = emptyPostings(total);
  const keys: number[] = [];
  const starts: number[] = [];
  for (let i = 0; i < total; i++) {
    const o = order[i]!;
    if (i === 0 || allKeys[o] !== allKeys[order[i - 1]!]) {
      keys.push(allKeys[o]!);
      starts.push(i);
    }
    postings.track[i] = src.track[o]!;
    postings.t1[i] = src.t1[o]!;
    postings.c1[i] = src.c1[o]!;
    postings.span[i] = src.span[o]!;
  }
  starts.push(total);
  return { keys: Uint32Array.from(keys), starts: Uint32Array.from(starts), postings };
}

/** First index at or after `from` whose key is not below `key` (galloping, then binary search). */
function seek(sorted: Uint32Array, from: number, key: number): number {
  let lo = from;
  let hi = from;
  let step = 1;
  while (hi < sorted.length && sorted[hi]! < key) {
    lo = hi + 1;
    hi += step;
    step *= 2;
  }
  if (hi > sorted.length) hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Query keys are numbered in 21 bits beside their 32-bit value: exact in a float64 (53 bits). */
const POSITION = 2 ** 21;

/**
 * Where each query key sits in each run's key list (-1: absent). The query keys are sorted once
 * and walked forward through every run, galloping over what lies between, so a query costs
 * one sort plus about (query keys × log(run keys / query keys)) per run, instead of a binary
 * search of every run per key (Bentley and Yao, "An almost optimal algorithm for unbounded
 * searching", 1976, for the galloping step).
 */
export function locateKeys(runKeys: Uint32Array[], keys: Uint32Array): Int32Array[] {
  const n = keys.length;
  const at = runKeys.map(() => new Int32Array(n).fill(-1));
  if (n >= POSITION) {
    // Beyond any query a 30-minute upload makes; answered key by key.
    runKeys.forEach((rk, r) => {
      for (let k = 0; k < n; k++) {
        const i = seek(rk, 0, keys[k]!);
        if (rk[i] === keys[k]) at[r]![k] = i;
      }
    });
    return at;
  }
  const order = new Float64Array(n);
  for (let k = 0; k < n; k++) order[k] = keys[k]! * POSITION + k;
  order.sort();
  runKeys.forEach((rk, r) => {
    const into = at[r]!;
    let j = 0;
    for (let s = 0; s < n && j < rk.length; s++) {
      const key = Math.floor(order[s]! / POSITION);
      j = seek(rk, j, key);
      if (rk[j] === key) into[order[s]! - key * POSITION] = j;
    }
  });
  return at;
}

/** Finds each key in several sorted runs; the result points into the runs, by key, then run. */
export function lookupSorted(runs: SortedPostings[], keys: Uint32Array): LookupResult {
  const at = locateKeys(
    runs.map((r) => r.keys),
    keys,
  );
  const parts: LookupResult['parts'] = [];
  for (let k = 0; k < keys.length; k++) {
    for (let r = 0; r < runs.length; r++) {
      const i = at[r]![k]!;
      if (i >= 0) parts.push({ key: k, list: runs[r]!.postings, from: runs[r]!.starts[i]!, to: runs[r]!.starts[i + 1]! });
    }
  }
  return { parts };
}

/** Copies the postings of `keys` out of the runs into one sorted run (for merging segments). */
export function materialize(runs: SortedPostings[], keys: Uint32Array): SortedPostings {
  const found = lookupSorted(runs, keys);
  const total = found.parts.reduce((s, p) => s + p.to - p.from, 0);
  const out = emptyPostings(total);
  const starts = new Uint32Array(keys.length + 1);
  let n = 0;
  let part = 0;
  for (let k = 0; k < keys.length; k++) {
    starts[k] = n;
    while (part < found.parts.length && found.parts[part]!.key === k) {
      const { list, from, to } = found.parts[part++]!;
      if (!list) throw new Error('materialize needs postings in memory');
      out.track.set(list.track.subarray(from, to), n);
      out.t1.set(list.t1.subarray(from, to), n);
      out.c1.set(list.c1.subarray(from, to), n);
      out.span.set(list.span.subarray(from, to), n);
      n += to - from;
    }
  }
  starts[keys.length] = n;
  return { keys, starts, postings: out };
}

export class MemoryIndex implements FingerprintIndex {
  readonly kind = 'segments' as const;
  private readonly runs: SortedPostings[] = [];

  async add(entries: Array<{ ref: number; hashes: Hashes }>): Promise<void> {
    this.runs.push(buildSorted(entries));
  }

  /** Adds a run built elsewhere (benchmarks fill a large index this way). */
  addRun(run: SortedPostings): void {
    this.runs.push(run);
  }

  async lookup(keys: Uint32Array): Promise<LookupResult> {
    return lookupSorted(this.runs, keys);
  }

  /** Postings of removed tracks stay; matches drop refs that no longer name a track. */
  async remove(): Promise<void> {}

  async stats() {
    const postings = this.runs.reduce((s, r) => s + r.postings.count, 0);
    return { postings, bytes: postings * 12 + this.runs.reduce((s, r) => s + r.keys.length * 8, 0) };
  }

  async close(): Promise<void> {}
}
