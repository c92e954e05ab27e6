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

function find(keys: Uint32Array, key: number): number {
  let lo = 0;
  let hi = keys.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = keys[mid]!;
    if (v === key) return mid;
    if (v < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Finds each key in several sorted runs; the result points into the runs. */
export function lookupSorted(runs: SortedPostings[], keys: Uint32Array): LookupResult {
  const parts: LookupResult['parts'] = [];
  for (let k = 0; k < keys.length; k++) {
    for (const run of runs) {
      const i = find(run.keys, keys[k]!);
      if (i >= 0) parts.push({ key: k, list: run.postings, from: run.starts[i]!, to: run.starts[i + 1]! });
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
