// An upload's fingerprint packed for storage: what an index needs of each hash (key, anchor
// time and frequency, span), 16 bytes a hash, little-endian. Only hashes with an even key are
// kept: the same audio yields the same keys, so half of them still match it, at half the bytes.
// The quantisation-free values are left out; matching against stored uploads never needs them.

import type { Hashes } from '../fingerprint/index.ts';

export function packHashes(h: Hashes): Uint8Array {
  let n = 0;
  for (let i = 0; i < h.count; i++) if ((h.keys[i]! & 1) === 0) n++;
  const out = new Uint8Array(4 + n * 16);
  const v = new DataView(out.buffer);
  v.setUint32(0, n, true);
  for (let i = 0, k = 0; i < h.count; i++) {
    if ((h.keys[i]! & 1) !== 0) continue;
    const at = 4 + k++ * 16;
    v.setUint32(at, h.keys[i]!, true);
    v.setFloat32(at + 4, h.t1[i]!, true);
    v.setFloat32(at + 8, h.c1[i]!, true);
    v.setFloat32(at + 12, h.span[i]!, true);
  }
  return out;
}

export function unpackHashes(b: Uint8Array): Hashes {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const n = b.byteLength >= 4 ? v.getUint32(0, true) : 0;
  if (b.byteLength !== 4 + n * 16) throw new Error(`packed fingerprint of ${b.byteLength} bytes does not hold ${n} hashes`);
  const h: Hashes = { count: n, values: new Float32Array(0), keys: new Uint32Array(n), t1: new Float32Array(n), c1: new Float32Array(n), span: new Float32Array(n) };
  for (let i = 0; i < n; i++) {
    const at = 4 + i * 16;
    h.keys[i] = v.getUint32(at, true);
    h.t1[i] = v.getFloat32(at + 4, true);
    h.c1[i] = v.getFloat32(at + 8, true);
    h.span[i] = v.getFloat32(at + 12, true);
  }
  return h;
}
