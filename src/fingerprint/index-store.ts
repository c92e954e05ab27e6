// What every fingerprint index offers: add a track's hashes under a dense track ref, and look
// up the postings of many keys at once. Implementations: on-disk segments (embedded) and
// PostgreSQL (shared).

import type { Hashes } from './hashes.ts';
import type { LookupResult } from './postings.ts';

export interface FingerprintIndex {
  readonly kind: 'segments' | 'postgres';
  /** Adds tracks; each entry's ref must be new. Durable when the promise resolves. */
  add(entries: Array<{ ref: number; hashes: Hashes }>): Promise<void>;
  /** Postings of each key, keys in any order (duplicates allowed). */
  lookup(keys: Uint32Array): Promise<LookupResult>;
  /** Drops a track's postings (catalog removal). */
  remove(refs: number[]): Promise<void>;
  stats(): Promise<{ postings: number; bytes: number }>;
  close(): Promise<void>;
}
