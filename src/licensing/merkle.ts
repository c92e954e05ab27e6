// Merkle tree hashing and audit paths exactly as RFC 6962 section 2.1 defines them (and RFC 9162
// section 2.1.3.2 verifies them): leaves hashed as SHA-256(0x00 || leaf), interior nodes as
// SHA-256(0x01 || left || right), the split at the largest power of two below n. The 0x00/0x01
// prefixes keep a leaf from ever passing for an interior node (second-preimage attack).

import { createHash } from 'node:crypto';

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const LEAF = Uint8Array.of(0);
const NODE = Uint8Array.of(1);

export const leafHash = (leaf: string): Buffer => sha256(LEAF, Buffer.from(leaf, 'utf8'));
const nodeHash = (l: Uint8Array, r: Uint8Array): Buffer => sha256(NODE, l, r);

/** Largest power of two strictly below n (n >= 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function mth(leaves: readonly Buffer[], lo: number, hi: number): Buffer {
  const n = hi - lo;
  if (n === 1) return leaves[lo]!;
  const k = split(n);
  return nodeHash(mth(leaves, lo, lo + k), mth(leaves, lo + k, hi));
}

/** The tree head over hashed leaves; the empty tree hashes to SHA-256 of nothing. */
export function merkleRoot(leaves: readonly Buffer[]): Buffer {
  return leaves.length === 0 ? sha256() : mth(leaves, 0, leaves.length);
}

/** PATH(m, D[n]): the sibling hashes from leaf m up to the root. */
export function auditPath(leaves: readonly Buffer[], m: number): Buffer[] {
  const path: Buffer[] = [];
  const walk = (lo: number, hi: number, i: number) => {
    const n = hi - lo;
    if (n <= 1) return;
    const k = split(n);
    if (i < k) {
      walk(lo, lo + k, i);
      path.push(mth(leaves, lo + k, hi));
    } else {
      walk(lo + k, hi, i - k);
      path.push(mth(leaves, lo, lo + k));
    }
  };
  walk(0, leaves.length, m);
  return path;
}

/** RFC 9162 2.1.3.2: whether `hash` at `index` of a tree of `size` leaves hashes up to `root`. */
export function verifyPath(hash: Uint8Array, index: number, size: number, path: readonly Uint8Array[], root: Uint8Array): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = hash;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && Buffer.compare(Buffer.from(r), Buffer.from(root)) === 0;
}
