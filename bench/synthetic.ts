// Synthetic postings for scale tests: keys drawn from the empirical key distribution of a real
// index (a uniformly random real posting's key, so popular keys stay popular), other fields
// random within their real ranges, tracks of 3 minutes. Built directly in key order with a
// counting sort, so a 1000-hour run needs no general sort.

import type { SortedPostings } from '../src/fingerprint/index.ts';
import { seededRandom } from '../src/shared/index.ts';

/** `hours` of synthetic postings shaped like `real`, which holds `realHours` of audio. */
export function syntheticRun(real: SortedPostings, realHours: number, hours: number, firstRef: number, seed: number): SortedPostings {
  const random = seededRandom(seed);
  const { keys: rk, starts: rs, postings: rp } = real;
  const total = Math.round((rp.count / realHours) * hours);
  // Key of each real posting, to sample from.
  const keyOf = new Uint32Array(rp.count);
  for (let k = 0; k < rk.length; k++) for (let i = rs[k]!; i < rs[k + 1]!; i++) keyOf[i] = k;
  const counts = new Uint32Array(rk.length);
  const draws = new Uint32Array(total);
  for (let i = 0; i < total; i++) {
    const k = keyOf[Math.floor(random() * rp.count)]!;
    draws[i] = k;
    counts[k]!++;
  }
  const starts = new Uint32Array(rk.length + 1);
  for (let k = 0; k < rk.length; k++) starts[k + 1] = starts[k]! + counts[k]!;
  const cursor = starts.slice(0, rk.length);
  const track = new Uint32Array(total);
  const t1 = new Uint32Array(total);
  const c1 = new Uint16Array(total);
  const span = new Uint16Array(total);
  const trackFrames = 180 / 0.032;
  const tracks = Math.max(1, Math.round((hours * 3600) / 180));
  for (let i = 0; i < total; i++) {
    const k = draws[i]!;
    const at = cursor[k]!++;
    // Fields copied from a real posting of the same key, moved to a random track and time.
    const src = rs[k]! + Math.floor(random() * (rs[k + 1]! - rs[k]!));
    track[at] = firstRef + Math.floor(random() * tracks);
    t1[at] = Math.floor(random() * trackFrames * 16);
    c1[at] = rp.c1[src]!;
    span[at] = rp.span[src]!;
  }
  return { keys: rk.slice(), starts, postings: { count: total, track, t1, c1, span } };
}
