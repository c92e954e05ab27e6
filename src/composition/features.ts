// Chroma as stored in the composition index: one byte per pitch class and frame. Frames are unit
// vectors, so a byte's 1/255 steps move a cosine by well under the alignment's κ-nearest
// margins; 3 minutes take 4.3 kB.

import { FRAME_SECONDS, type Chroma } from './chroma.ts';
import { CATALOG_HOP, describePatches } from './shortlist.ts';

/** Bump when chroma, its packing or the shortlist's patches change: stored features of another version are recomputed. */
export const COMPOSITION_VERSION = 2;

export interface PackedChroma {
  version: number;
  frames: number;
  frameMs: number;
  chroma: Uint8Array;
  /** The shortlist's descriptors of the packed chroma, a patch every CATALOG_HOP frames. */
  patches: Int8Array;
}

export function packChroma(c: Chroma): PackedChroma {
  const chroma = new Uint8Array(c.frames * 12);
  for (let i = 0; i < chroma.length; i++) chroma[i] = Math.round(Math.max(0, Math.min(1, c.data[i]!)) * 255);
  const packed: PackedChroma = { version: COMPOSITION_VERSION, frames: c.frames, frameMs: Math.round(c.frameSeconds * 1000), chroma, patches: new Int8Array(0) };
  // Described as stored, so a track reads the same whether just analysed or loaded back.
  packed.patches = describePatches(unpackChroma(packed), CATALOG_HOP);
  return packed;
}

export function unpackChroma(p: PackedChroma): Chroma {
  const data = new Float32Array(p.frames * 12);
  for (let i = 0; i < data.length; i++) data[i] = p.chroma[i]! / 255;
  return { data, frames: p.frames, frameSeconds: p.frameMs / 1000 || FRAME_SECONDS, tuningCents: 0 };
}
